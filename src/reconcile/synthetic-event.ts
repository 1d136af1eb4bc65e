import type { IssueRecord } from '../core/issue-record';
import type { SearchedIssue } from './ports';
import { parseJiraTime } from './jql-time';

/**
 * The Jira events reconciliation makes up for changes no event reported. They are shaped like
 * Forge's thin `avi:jira:updated:issue` payload (FORGE.md §2): no changelog, no `atlassianId`,
 * and the pipeline re-reads the issue before deciding anything, as it does for every event.
 * `tasksourceReconciled` marks them in logs; the event schema keeps unknown keys.
 */

export type SyntheticEvent = Record<string, unknown> & {
  readonly eventType: 'avi:jira:updated:issue';
};

/** A change Jira has and tasksource may not: named by the issue's `updated` time. */
export function missedChangeEvent(issue: SearchedIssue): SyntheticEvent {
  const timestamp = parseJiraTime(issue.updated);

  return {
    eventType: 'avi:jira:updated:issue',
    ...(timestamp === undefined ? {} : { timestamp }),
    issue: {
      id: issue.id,
      key: issue.key,
      fields: {
        ...(issue.updated === undefined ? {} : { updated: issue.updated }),
        project: { id: issue.projectId, ...(issue.projectKey ? { key: issue.projectKey } : {}) },
        assignee: issue.assigneeAccountId === null ? null : { accountId: issue.assigneeAccountId },
      },
    },
    tasksourceReconciled: true,
  };
}

/**
 * A recorded issue Jira no longer lists as outsourced (moved, relabelled, unassigned, deleted).
 * Only the record is known; its times keep the event the same on every run, so a release
 * queued twice is recognised as one change. It names no project: the one in the record may
 * outsource nothing any more, which would rule the event out before the record is read
 * (`outsideOutsourcingProjects`); Jira says where the issue is now.
 */
export function releaseCheckEvent(record: IssueRecord): SyntheticEvent {
  return {
    eventType: 'avi:jira:updated:issue',
    // Never older than the newest change tasksource has: Jira's clock stamped that one, and a
    // release check timed earlier by the app's clock would be ruled stale on every run.
    timestamp: Math.max(record.updatedAt, record.lastChangeAt ?? 0),
    issue: { id: record.issueId, key: record.issueKey, fields: {} },
    tasksourceReconciled: true,
  };
}
