import { randomUUID } from 'node:crypto';

import type { z } from 'zod';

import { ValidationError } from '../core/errors';
import type { ProjectSettings, StoredConnection, StoredSettings } from '../core/settings';
import { connectionSettingsSchema, projectIdSchema, projectSettingsSchema } from '../core/settings';
import { describeIssues, toFieldIssues } from '../core/zod-issues';

/**
 * Saving settings: the one code path the settings pages and the local runtime's scenarios
 * both use. Input is checked in full before anything is written; an invalid save changes
 * nothing.
 */

export interface SettingsStore {
  load(): Promise<StoredSettings>;
  save(settings: StoredSettings): Promise<void>;
}

export async function saveConnectionSettings(
  store: SettingsStore,
  input: unknown,
): Promise<StoredConnection> {
  const connection = parseOrThrow('connection', connectionSettingsSchema, input);

  const current = await store.load();
  const sameEndpoint = current.connection?.webhookUrl === connection.webhookUrl;
  const connectionId =
    sameEndpoint && current.connection ? current.connection.connectionId : randomUUID();
  const saved = { ...connection, connectionId };
  await store.save({ ...current, connection: saved });
  return saved;
}

export async function saveProjectSettings(
  store: SettingsStore,
  projectId: unknown,
  input: unknown,
): Promise<ProjectSettings> {
  const id = parseOrThrow('project', projectIdSchema, projectId, 'projectId');
  const project = parseOrThrow('project', projectSettingsSchema, input);

  const current = await store.load();
  await store.save({ ...current, projects: { ...current.projects, [id]: project } });
  return project;
}

function parseOrThrow<T>(tag: string, schema: z.ZodType<T>, input: unknown, pathPrefix = ''): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;

  const issues = toFieldIssues(parsed.error).map((issue) => ({
    ...issue,
    path: [pathPrefix, issue.path].filter(Boolean).join('.'),
  }));
  throw new ValidationError(`[${tag}] Invalid settings: ${describeIssues(issues)}`, issues);
}
