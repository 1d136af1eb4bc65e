import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { validate } from '@forge/manifest';
import { parse } from 'yaml';

import { APP_HANDLERS } from '../local/platform/app-handlers';
import { SUBSCRIBED_EVENT_TYPES } from '../src/core/jira-event';
import { PROJECT_FLAG_KEY } from '../src/core/project-flag';

/** `manifest.yml` passes the Forge CLI's own validation, and says what the app relies on. */

const MANIFEST = join(__dirname, '..', 'manifest.yml');

interface Manifest {
  app: { runtime: { name: string } };
  modules: {
    trigger: {
      key: string;
      function: string;
      events: string[];
      filter?: { ignoreSelf?: boolean; expression?: string; onError?: string };
    }[];
    function: { key: string; handler: string; runtime?: { memoryMB?: number } }[];
  };
  permissions: { scopes: string[]; external: { fetch: { backend: { address: string }[] } } };
  environment: { variables: { key: string; default: string }[] };
}

const manifest = parse(readFileSync(MANIFEST, 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('passes @forge/manifest full validation with no errors', async () => {
    const result = await validate(false, MANIFEST);

    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('subscribes one trigger to exactly the events the app handles, ignoring its own', () => {
    const [trigger, ...others] = manifest.modules.trigger;

    expect(others).toEqual([]);
    expect([...trigger!.events].sort()).toEqual([...SUBSCRIBED_EVENT_TYPES].sort());
    expect(trigger!.filter?.ignoreSelf).toBe(true);
  });

  it('no longer subscribes to assigned:issue: updated:issue reports every assignment', () => {
    expect(manifest.modules.trigger[0]!.events).not.toContain('avi:jira:assigned:issue');
    expect(manifest.modules.trigger[0]!.events).toContain('avi:jira:updated:issue');
  });

  it('filters on the project flag and fails open when the filter cannot be evaluated', () => {
    const filter = manifest.modules.trigger[0]!.filter;

    expect(filter?.expression).toContain(`properties['${PROJECT_FLAG_KEY}']?.configured`);
    expect(filter?.onError).toBe('RECEIVE_AND_LOG');
  });

  it('points every function at its own file in src/functions, which exports only that handler', async () => {
    for (const fn of manifest.modules.function) {
      const [file, exported] = fn.handler.split('.');
      const entry = (await import(join(__dirname, '..', 'src', file!))) as Record<string, unknown>;

      expect(file).toBe(`functions/${fn.key}`);
      expect(Object.keys(entry)).toEqual([exported]);
      expect(typeof entry[exported!]).toBe('function');
      // The local runtime calls the very function Forge would load.
      expect(APP_HANDLERS[exported!]).toBe(entry[exported!]);
    }
    expect(readdirSync(join(__dirname, '..', 'src', 'functions')).sort()).toEqual(
      manifest.modules.function.map((fn) => `${fn.key}.ts`).sort(),
    );
    expect(Object.keys(APP_HANDLERS).sort()).toEqual([
      'adminPageResolver',
      'onDeliveryQueue',
      'onJiraEvent',
      'onReconcile',
      'projectPageResolver',
    ]);
  });

  it('sizes every function’s memory itself, within the 128 to 1024 MB Forge allows', () => {
    for (const fn of manifest.modules.function) {
      const memoryMB = fn.runtime?.memoryMB ?? Number.NaN;

      expect([fn.key, memoryMB >= 128 && memoryMB <= 1024]).toEqual([fn.key, true]);
    }
  });

  it('asks for the least it needs: reading Jira work and users, app storage, project flags', () => {
    expect([...manifest.permissions.scopes].sort()).toEqual([
      'read:jira-user',
      'read:jira-work',
      'storage:app',
      'write:project.property:jira',
    ]);
  });

  it('opens the admin page from "Configure" and puts a page in project settings, both UI Kit', () => {
    const modules = manifest.modules as unknown as Record<
      string,
      { render?: string; useAsConfig?: boolean }[]
    >;

    expect(modules['jira:adminPage']).toEqual([
      expect.objectContaining({ render: 'native', useAsConfig: true }),
    ]);
    expect(modules['jira:projectSettingsPage']).toEqual([
      expect.objectContaining({ render: 'native' }),
    ]);
  });

  it('sends only to tasksource, unless a deploy-time variable names a self-hosted bridge', () => {
    expect(manifest.permissions.external.fetch.backend).toEqual([
      { address: '${TASKSOURCE_API_ORIGIN}' },
    ]);
    expect(manifest.environment.variables).toEqual([
      { key: 'TASKSOURCE_API_ORIGIN', default: 'https://api.tasksource.io' },
    ]);
  });

  it('runs on a supported Node.js runtime', () => {
    expect(['nodejs22.x', 'nodejs24.x']).toContain(manifest.app.runtime.name);
  });
});
