import { findLookalikes } from '../core/label-lookalikes';
import { outsourcedIssuesJql } from '../core/outsourced-jql';
import type { FlagCheck } from '../core/setup-checklist';
import { buildChecklist } from '../core/setup-checklist';
import type { LabelPage, ProjectSavePayload, ProjectView } from './page-contract';
import { LookalikeLabelsError } from './page-errors';
import type { PageDeps } from './ports';
import { requestFirstRun } from './request-first-run';
import { requirePermission } from './require-permission';
import { saveProjectSettings } from './settings-service';
import { checkProjectFlag, setProjectFlag } from './sync-project-flag';

/**
 * The project settings page: which labels link this Jira project to a tasksource project,
 * whether forwarding is on, and a checklist of everything else the setup needs, down to the
 * project flag that lets Jira send the project's events to the app. The project is the one the
 * platform says the page is open in, never one the page names.
 */

export interface PageProject {
  readonly id: string;
  readonly key: string | undefined;
}

/** How many site labels are read when checking a new label for look-alikes. */
const LOOKALIKE_SCAN_LIMIT = 1000;
const LABEL_PAGE_SIZE = 50;

/** `flag` is what a save just found; without it, the flag is read from Jira. */
export async function getProjectPage(
  deps: PageDeps,
  project: PageProject,
  flag?: FlagCheck,
): Promise<ProjectView> {
  const [settings, canEdit] = await Promise.all([
    deps.store.load(),
    deps.permissions.has('ADMINISTER_PROJECTS', project.id),
  ]);
  const saved = settings.projects[project.id];
  const labels = saved?.labels ?? [];
  const enabled = saved?.enabled ?? true;
  const accountId = settings.connection?.integrationAccountId;

  const [assignable, outsourcedCount, flagNow] = await Promise.all([
    checkAssignable(deps, project, accountId),
    countOutsourced(deps, project, accountId, labels, enabled),
    flag ?? checkProjectFlag(deps, project.id, saved !== undefined),
  ]);

  return {
    projectId: project.id,
    projectKey: project.key ?? null,
    canEdit,
    labels,
    enabled,
    checklist: buildChecklist({
      connected: accountId !== undefined,
      assignable,
      labels,
      enabled,
      outsourcedCount,
      flag: flagNow,
    }),
  };
}

export async function saveProjectPage(
  deps: PageDeps,
  project: PageProject,
  payload: ProjectSavePayload,
): Promise<ProjectView> {
  await requirePermission(
    deps,
    'ADMINISTER_PROJECTS',
    'Saving this project’s tasksource settings needs the Administer Projects permission',
    project.id,
  );

  if (!payload.acceptLookalikes) await refuseLookalikes(deps, payload.labels);
  await saveProjectSettings(
    deps.store,
    project.id,
    { labels: payload.labels, enabled: payload.enabled },
    { onNewlyOutsourcing: (projectId) => requestFirstRun(deps, projectId) },
  );
  deps.log.info('Saved project settings', {
    projectId: project.id,
    labelCount: payload.labels.length,
    enabled: payload.enabled,
  });

  // After the settings, never instead of them: a flag Jira refuses loses no settings.
  const flag = await setProjectFlag(deps, project.id);
  return getProjectPage(deps, project, flag);
}

/** The site's labels, a page at a time, optionally only those containing `query`. */
export async function searchLabels(
  deps: PageDeps,
  query: string | undefined,
  startAt = 0,
): Promise<LabelPage> {
  const needle = query?.trim().toLowerCase() ?? '';
  const page = await deps.directory.listLabels(startAt, needle ? 1000 : LABEL_PAGE_SIZE);
  const labels = needle
    ? page.values.filter((label) => label.toLowerCase().includes(needle))
    : page.values;
  const next = startAt + page.values.length;

  return { labels, ...(page.isLast ? {} : { nextStartAt: next }) };
}

/**
 * A label that differs from an existing one only by case or look-alike characters is almost
 * always a typo that would keep issues from being outsourced; saving it needs a second yes.
 */
async function refuseLookalikes(deps: PageDeps, labels: readonly string[]): Promise<void> {
  const existing = await siteLabels(deps);
  const issues = labels.flatMap((label, index) => {
    const others = labels.filter((_, other) => other !== index);
    const similar = [
      ...new Set([...findLookalikes(label, existing), ...findLookalikes(label, others)]),
    ];
    if (similar.length === 0) return [];

    const names = similar.map((name) => `"${name}"`).join(', ');
    return [
      {
        path: `labels.${index}`,
        message: `"${label}" looks like the existing label ${names} but is not the same to Jira (labels match exactly); use the existing label, or save anyway`,
      },
    ];
  });
  if (issues.length > 0)
    throw new LookalikeLabelsError('[project] A label only looks like an existing one', issues);
}

async function siteLabels(deps: PageDeps): Promise<string[]> {
  const labels: string[] = [];
  for (let startAt = 0; labels.length < LOOKALIKE_SCAN_LIMIT;) {
    const page = await deps.directory.listLabels(startAt, LABEL_PAGE_SIZE * 20);
    labels.push(...page.values);
    if (page.isLast || page.values.length === 0) break;
    startAt += page.values.length;
  }
  return labels;
}

async function checkAssignable(
  deps: PageDeps,
  project: PageProject,
  accountId: string | undefined,
): Promise<boolean | undefined> {
  const key = project.key;
  if (!accountId || !key) return undefined;

  return quietly(deps, () => deps.directory.isAssignable(key, accountId));
}

async function countOutsourced(
  deps: PageDeps,
  project: PageProject,
  accountId: string | undefined,
  labels: readonly string[],
  enabled: boolean,
): Promise<number | undefined> {
  if (labels.length === 0 || !enabled) return 0;
  if (!accountId) return undefined;

  const jql = outsourcedIssuesJql({
    projectId: project.id,
    integrationAccountId: accountId,
    labels,
  });
  return quietly(deps, () => deps.directory.countIssues(jql));
}

/**
 * A checklist line that cannot be checked right now shows as unknown rather than failing the
 * page.
 */
async function quietly<T>(deps: PageDeps, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    deps.log.warn('A setup check could not be made', {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
