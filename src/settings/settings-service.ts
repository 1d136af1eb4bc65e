import { randomUUID } from 'node:crypto';

import type * as z from 'zod';

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
  /** Reads, changes and writes the settings as one step that no other save interleaves with. */
  update(
    change: (current: StoredSettings) => StoredSettings | Promise<StoredSettings>,
  ): Promise<StoredSettings>;
}

/** Room left for the connection in the secret store's 128 KiB record, whatever projects hold. */
const MAX_PROJECTS_BYTES = 96 * 1024;

/**
 * Saving the connection resumes sending to an endpoint tasksource disabled (it answered 410),
 * unless `keepDisabled` says this save is no answer to that (a new signing secret, say).
 */
export async function saveConnectionSettings(
  store: SettingsStore,
  input: unknown,
  options: { keepDisabled?: boolean } = {},
): Promise<StoredConnection> {
  const connection = parseOrThrow('connection', connectionSettingsSchema, input);

  const saved = await store.update((current) => {
    const sameEndpoint = current.connection?.webhookUrl === connection.webhookUrl;
    const connectionId =
      sameEndpoint && current.connection ? current.connection.connectionId : randomUUID();
    const disabledAt =
      sameEndpoint && options.keepDisabled ? current.connection?.disabledAt : undefined;
    return {
      ...current,
      connection: {
        ...connection,
        connectionId,
        ...(disabledAt === undefined ? {} : { disabledAt }),
      },
    };
  });
  return saved.connection as StoredConnection;
}

export interface ProjectSaveHooks {
  /**
   * Called after a save that makes the project outsource issues it did not before (its first
   * labels, a new label, forwarding switched back on): issues that already qualify had no event.
   */
  readonly onNewlyOutsourcing?: (projectId: string) => Promise<void>;
}

export async function saveProjectSettings(
  store: SettingsStore,
  projectId: unknown,
  input: unknown,
  hooks: ProjectSaveHooks = {},
): Promise<ProjectSettings> {
  const id = parseOrThrow('project', projectIdSchema, projectId, 'projectId');
  const project = parseOrThrow('project', projectSettingsSchema, input);

  let newlyOutsourcing = false;
  await store.update((current) => {
    const projects = { ...current.projects, [id]: project };
    if (Buffer.byteLength(JSON.stringify(projects)) > MAX_PROJECTS_BYTES) {
      const message =
        'expected fewer or shorter labels: all projects together may hold 96 KiB of labels';
      throw new ValidationError(`[project] ${message}`, [{ path: 'labels', message }]);
    }
    newlyOutsourcing = startsOutsourcing(current.projects[id], project);
    return { ...current, projects };
  });

  if (newlyOutsourcing) await hooks.onNewlyOutsourcing?.(id);
  return project;
}

/** Whether issues may be outsourced after the save that were not before it. */
export function startsOutsourcing(
  before: ProjectSettings | undefined,
  after: ProjectSettings,
): boolean {
  if (!after.enabled || after.labels.length === 0) return false;
  if (!before?.enabled) return true;

  return after.labels.some((label) => !before.labels.includes(label));
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
