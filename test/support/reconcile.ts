import { kvs } from '@forge/kvs';

import { LocalForgePlatform } from '../../local/platform/local-forge-platform';
import { createKvsSettingsStore } from '../../src/adapters/kvs-settings-store';
import type { IssueRecord } from '../../src/core/issue-record';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../../src/core/project-flag';
import { saveConnectionSettings, saveProjectSettings } from '../../src/settings/settings-service';
import { INTEGRATION, makeIssue, SITE, WEBHOOK_URL } from './builders';

/**
 * A local platform set up for reconciliation: connected, with the given projects (each with
 * the project flag its page's save sets), issues in the local Jira and issue records in KVS,
 * written with the real `@forge/kvs`.
 */

export type Projects = Record<string, { labels: string[]; enabled: boolean }>;

export async function startSite(
  projects: Projects = { '10000': { labels: ['acme-web'], enabled: true } },
): Promise<LocalForgePlatform> {
  const platform = await LocalForgePlatform.start();
  const store = createKvsSettingsStore();
  await saveConnectionSettings(store, {
    webhookUrl: WEBHOOK_URL,
    integrationAccountId: INTEGRATION,
    siteUrl: SITE,
  });
  for (const [id, project] of Object.entries(projects)) {
    await saveProjectSettings(store, id, project);
    platform.jira.projectProperties.set(id, PROJECT_FLAG_KEY, PROJECT_FLAG);
  }
  return platform;
}

/** Jira's way of writing a time: `2026-12-04T09:00:00.000+0000`. */
export function jiraTime(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('Z', '+0000');
}

export const minutesAgo = (minutes: number) => jiraTime(Date.now() - minutes * 60_000);

/** `count` outsourced issues of project 10000, ids from 20000 up, changed an hour ago. */
export function outsourcedIssues(count: number, updated = minutesAgo(60)) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => {
      const id = String(20000 + index);
      return [id, makeIssue({ id, key: `KAN-${index + 1}`, updated })];
    }),
  );
}

export async function putRecord(
  issue: Record<string, unknown>,
  overrides: Partial<IssueRecord> = {},
): Promise<void> {
  const connectionId = (await createKvsSettingsStore().load()).connection?.connectionId ?? '';
  const fields = issue.fields as { project: { id: string; key: string } };
  const updated = Date.parse(
    String((issue.fields as { updated: string }).updated).replace('+0000', 'Z'),
  );
  const record: IssueRecord = {
    version: 2,
    connectionId,
    episode: `ts_episode_${String(issue.id)}`,
    issueId: String(issue.id),
    issueKey: String(issue.key),
    projectId: fields.project.id,
    projectKey: fields.project.key,
    labels: ['acme-web'],
    deliveryIds: [],
    updatedAt: updated + 1_000,
    state: 'outsourced',
    sequence: 1,
    lastChangeAt: updated,
    lastEventAt: null,
    deadIds: [],
    ...overrides,
  };
  await kvs.set(`issue:${record.issueId}`, record);
}

/** The remaining time the runtime reports to the app, set per test. */
export function setRemainingTime(remaining: () => number): void {
  const runtime = (globalThis as Record<string, any>).__forge_runtime__;
  runtime.lambdaContext.getRemainingTimeInMillis = remaining;
}

export function queuedMessages(platform: LocalForgePlatform): Record<string, any>[] {
  return platform.queued.map((entry) => entry.body as Record<string, any>);
}

export function queuedEvents(platform: LocalForgePlatform): Record<string, any>[] {
  return queuedMessages(platform)
    .filter((body) => body.type === 'event')
    .map((body) => body.event as Record<string, any>);
}
