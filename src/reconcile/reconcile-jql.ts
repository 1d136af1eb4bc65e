import { outsourcedIssuesJql } from '../core/outsourced-jql';
import type { StoredSettings } from '../core/settings';
import { formatJqlTime } from './jql-time';

/**
 * The two searches reconciliation makes, built on the forwarding rules' own JQL
 * (`core/outsourced-jql.ts`), so labels are quoted the one way the app quotes them.
 */

export interface ReconcilableProject {
  readonly id: string;
  readonly labels: readonly string[];
}

/** Configured, enabled projects with at least one label: the only ones that outsource. */
export function reconcilableProjects(settings: StoredSettings): ReconcilableProject[] {
  return Object.entries(settings.projects)
    .filter(([, project]) => project.enabled && project.labels.length > 0)
    .map(([id, project]) => ({ id, labels: project.labels }));
}

/**
 * Issues of one project outsourced now and changed in the window: from `since` (none on a
 * first run) up to `until`, which stays clear of events Forge may still be delivering.
 */
export function changedIssuesJql(input: {
  readonly project: ReconcilableProject;
  readonly integrationAccountId: string;
  readonly since: number | null;
  readonly until: number;
  readonly timeZone: string;
}): string {
  const { project, integrationAccountId, since, until, timeZone } = input;
  const outsourced = outsourcedIssuesJql({
    projectId: project.id,
    integrationAccountId,
    labels: project.labels,
  });
  const from = since === null ? '' : ` AND updated >= "${formatJqlTime(since, timeZone)}"`;

  return `${outsourced}${from} AND updated <= "${formatJqlTime(until, timeZone)}"`;
}

/** Which of these issues are outsourced right now, in any project that outsources. */
export function stillOutsourcedJql(input: {
  readonly issueIds: readonly string[];
  readonly projects: readonly ReconcilableProject[];
  readonly integrationAccountId: string;
}): string {
  const { issueIds, projects, integrationAccountId } = input;
  const ids = issueIds.filter((id) => /^[0-9]{1,18}$/.test(id)).join(', ');
  const conditions = projects.map(
    (project) =>
      `(${outsourcedIssuesJql({ projectId: project.id, integrationAccountId, labels: project.labels })})`,
  );

  return `id in (${ids}) AND (${conditions.join(' OR ')})`;
}
