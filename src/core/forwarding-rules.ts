import type { ChangeKind } from './identify-change';
import { releaseIdOf } from './identify-change';
import type { Changelog } from './jira-event';
import { findLookalikes } from './label-lookalikes';
import type { IssueRecord } from './issue-record';
import type { IssueFacts } from './jira-issue';
import type { StoredSettings } from './settings';

/**
 * The forwarding rules: which changes leave Jira for tasksource, and in which state.
 *
 * An issue is outsourced when it is assigned to the configured integration account (matched by
 * accountId, never by e-mail) and carries one of the labels mapped to its project (exact,
 * case-sensitive: `Acme-web` is not `acme-web`; such a look-alike is named as the reason it was
 * not forwarded). Decisions use the issue as Jira has it now.
 *
 * 1. Outsourced after the change: forward the change, state `outsourced`.
 * 2. Was outsourced (the app holds a record), is not any more (unassigned, label removed, moved
 *    to a project without that label, forwarding disabled, deleted): forward one final event,
 *    state `released`. The record stays, marked released, so the issue's numbering goes on.
 * 3. Never outsourced: nothing about it leaves Jira. The skip reason is logged.
 * 4. Comments, comment edits and comment deletes go only while the issue is outsourced.
 * 5. A change already delivered is not delivered again.
 * 6. Changes of one issue reach tasksource in the order the app numbered them
 *    (`tasksource.sequence`); a later change waits while an earlier one is retried. A late
 *    event older than what tasksource already has is stale and is not forwarded.
 */

export type NotOutsourcedReason =
  | 'project-not-configured'
  | 'project-disabled'
  | 'not-assigned-to-integration-account'
  | 'no-mapped-label'
  | 'only-a-lookalike-label';

export type ReleaseReason =
  | 'deleted'
  | 'no-longer-visible'
  | 'moved'
  | 'project-disabled'
  | 'mapping-removed'
  | 'unassigned'
  | 'label-removed';

export type SkipReason =
  NotOutsourcedReason | 'not-connected' | 'issue-not-found' | 'duplicate' | 'stale';

export type Outsourcing =
  | { readonly outsourced: true; readonly labels: readonly string[] }
  | { readonly outsourced: false; readonly why: NotOutsourcedReason };

export type Decision =
  | { readonly action: 'forward'; readonly state: 'outsourced'; readonly labels: readonly string[] }
  | {
      readonly action: 'release';
      readonly state: 'released';
      readonly labels: readonly string[];
      readonly reason: ReleaseReason;
    }
  | { readonly action: 'skip'; readonly reason: SkipReason };

export function assessOutsourcing(issue: IssueFacts, settings: StoredSettings): Outsourcing {
  const project = settings.projects[issue.projectId];
  if (!project || !outsources(settings, issue.projectId)) {
    return { outsourced: false, why: 'project-not-configured' };
  }
  if (!project.enabled) return { outsourced: false, why: 'project-disabled' };

  const integrationAccountId = settings.connection?.integrationAccountId;
  if (issue.assigneeAccountId === null || issue.assigneeAccountId !== integrationAccountId) {
    return { outsourced: false, why: 'not-assigned-to-integration-account' };
  }

  const labels = [...new Set(issue.labels.filter((label) => project.labels.includes(label)))];
  if (labels.length > 0) return { outsourced: true, labels };

  const lookalike = issue.labels.some((label) => findLookalikes(label, project.labels).length > 0);
  return { outsourced: false, why: lookalike ? 'only-a-lookalike-label' : 'no-mapped-label' };
}

/** Rule 5, checked before Jira is asked anything. */
export function isAlreadyDelivered(record: IssueRecord | undefined, deliveryId: string): boolean {
  return record?.deliveryIds.includes(deliveryId) ?? false;
}

/**
 * A change kept as a dead letter waits for an admin's Resend: a redelivered event of it is not
 * sent again, under its own id or, if its retry went out as a release, under the release's.
 */
export function isKeptAsDeadLetter(record: IssueRecord | undefined, deliveryId: string): boolean {
  const dead = record?.deadIds ?? [];
  if (dead.length === 0) return false;

  return dead.includes(deliveryId) || dead.includes(releaseIdOf(deliveryId));
}

export function decideForwarding(input: {
  readonly change: ChangeKind;
  /** The issue as Jira has it now; `gone` when it is deleted or the app can no longer see it. */
  readonly issue: IssueFacts | 'gone';
  readonly record: IssueRecord | undefined;
  readonly settings: StoredSettings;
}): Decision {
  const { change, issue, record, settings } = input;

  if (issue === 'gone') {
    if (!record) return { action: 'skip', reason: 'issue-not-found' };

    const reason = change === 'issue-deleted' ? 'deleted' : 'no-longer-visible';
    return { action: 'release', state: 'released', labels: record.labels, reason };
  }

  const outsourcing = assessOutsourcing(issue, settings);
  if (outsourcing.outsourced) {
    return { action: 'forward', state: 'outsourced', labels: outsourcing.labels };
  }

  if (!record) return { action: 'skip', reason: outsourcing.why };

  return {
    action: 'release',
    state: 'released',
    labels: record.labels,
    reason: releaseReason(outsourcing.why, record, issue),
  };
}

function releaseReason(
  why: NotOutsourcedReason,
  record: IssueRecord,
  issue: IssueFacts,
): ReleaseReason {
  if (record.projectId !== issue.projectId) return 'moved';

  switch (why) {
    case 'project-not-configured':
      return 'mapping-removed';
    case 'project-disabled':
      return 'project-disabled';
    case 'not-assigned-to-integration-account':
      return 'unassigned';
    case 'no-mapped-label':
    case 'only-a-lookalike-label':
      return 'label-removed';
  }
}

/**
 * Rule 6, checked before Jira is asked anything. tasksource has the issue once anything of it
 * was forwarded in this episode, so a `created` arriving after that is stale, never a second
 * create. An issue update Jira made before the newest one forwarded adds nothing: every body
 * carries the issue as Jira had it when it was sent. Comments are objects of their own, and
 * deletes happen once, so neither is ever stale.
 */
export function isStale(
  change: ChangeKind,
  changedAt: number | undefined,
  record: IssueRecord | undefined,
): boolean {
  if (record?.state !== 'outsourced') return false;
  if (change === 'issue-created') return true;
  if (change !== 'issue-updated' || changedAt === undefined) return false;

  return record.lastChangeAt !== null && changedAt < record.lastChangeAt;
}

/**
 * Rule 3, before anything but the settings is read: an event from a project that outsources
 * nothing (no tasksource label mapped to it) is not about an outsourced issue. Unless its
 * changelog shows the issue leaving a project that does: then it may be a release, and the
 * issue's record is read. Issues left behind without such an event (a project's mapping
 * removed, a move filtered out by the platform) are released by the hourly reconciliation,
 * which finds them by their records. Undefined project: the event does not say, Jira is asked.
 */
export function outsideOutsourcingProjects(
  event: { readonly projectId: string | undefined; readonly changelog: Changelog | undefined },
  settings: StoredSettings,
): boolean {
  if (event.projectId === undefined || outsources(settings, event.projectId)) return false;

  const left = (event.changelog?.items ?? []).filter(
    (item) => item.field === 'project' || item.fieldId === 'project',
  );
  return !left.some((item) => item.from !== null && outsources(settings, item.from));
}

/** Enabled or not: a disabled project still releases what it outsourced. */
function outsources(settings: StoredSettings, projectId: string): boolean {
  return (settings.projects[projectId]?.labels.length ?? 0) > 0;
}

/**
 * Rule 1, without asking Jira: an issue tasksource does not have, whose event names an assignee
 * other than the integration account (or nobody), is not outsourced by this change. Its own
 * later change that assigns the account is an event of its own. Undefined when the event does
 * not say who the assignee is: then Jira is asked.
 */
export function ruledOutByPayload(
  payloadAssignee: { readonly accountId: string } | null | undefined,
  settings: StoredSettings,
  record: IssueRecord | undefined,
): boolean {
  if (record?.state === 'outsourced' || payloadAssignee === undefined) return false;

  return payloadAssignee?.accountId !== settings.connection?.integrationAccountId;
}
