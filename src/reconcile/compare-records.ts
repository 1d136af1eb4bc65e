import { assessOutsourcing } from '../core/forwarding-rules';
import type { IssueRecord } from '../core/issue-record';
import type { StoredSettings } from '../core/settings';
import { parseJiraTime } from './jql-time';
import type { SearchedIssue } from './ports';

/**
 * Search results against what tasksource was told. Both directions go through the forwarding
 * rules themselves (`assessOutsourcing`), so JQL that matches more loosely than the rules (JQL
 * label matches may ignore case) never decides on its own.
 */

/** A change newer than the record by more than this is one tasksource did not get. */
export const CHANGE_TOLERANCE_MS = 60_000;

/** The record tasksource holds for the issue over this connection, if it is outsourced. */
export function currentRecord(
  record: IssueRecord | undefined,
  connectionId: string,
): IssueRecord | undefined {
  if (record?.state !== 'outsourced' || record.connectionId !== connectionId) return undefined;
  return record;
}

/**
 * Outsourced now, and either unknown to tasksource or changed after the newest change it got.
 * "The newest change it got" is Jira's time of the newest change of any kind delivered
 * (`lastEventAt`, comments included); records from before that was kept fall back to when the
 * record was written.
 */
export function isMissed(
  issue: SearchedIssue,
  record: IssueRecord | undefined,
  settings: StoredSettings,
): boolean {
  if (!isOutsourcedNow(issue, settings)) return false;
  if (!record) return true;

  const updated = parseJiraTime(issue.updated);
  if (updated === undefined) return false;

  const known = record.lastEventAt ?? record.lastChangeAt ?? record.updatedAt;
  return updated > known + CHANGE_TOLERANCE_MS;
}

/** Records whose issue is not among those Jira says are outsourced now. */
export function recordsToRelease(
  records: readonly IssueRecord[],
  stillOutsourced: readonly SearchedIssue[],
  settings: StoredSettings,
): IssueRecord[] {
  const outsourced = new Set(
    stillOutsourced.filter((issue) => isOutsourcedNow(issue, settings)).map((issue) => issue.id),
  );
  return records.filter((record) => !outsourced.has(record.issueId));
}

function isOutsourcedNow(issue: SearchedIssue, settings: StoredSettings): boolean {
  const facts = {
    projectId: issue.projectId,
    assigneeAccountId: issue.assigneeAccountId,
    labels: issue.labels,
  };
  return assessOutsourcing(facts, settings).outsourced;
}
