import { createHash } from 'node:crypto';

import type { JiraEvent } from './jira-event';
import { isCommentEvent } from './jira-event';

/**
 * Which Jira change an event reports, and the delivery id that change gets.
 *
 * One change can reach the app as several events (a Forge retry, or `assigned:issue` plus
 * `updated:issue` for one assignment) and must reach tasksource once. So the delivery id is
 * derived from the change, never from the event: the same change always yields the same id,
 * on every event and every retry, and the receiver can dedupe on it.
 */

export type ChangeKind =
  'issue-created' | 'issue-updated' | 'issue-deleted' | 'comment' | 'comment-deleted';

export interface Change {
  readonly kind: ChangeKind;
  readonly issueId: string;
  /** Stable text naming the change, e.g. `changelog:10233` or `comment:10019:2019-02-15T…`. */
  readonly changeKey: string;
  /** `ts_` and 32 hex digits: no `.`, as Standard Webhooks requires of a message id. */
  readonly deliveryId: string;
  /**
   * True when the event itself names no version of the change (no changelog id, no `updated`,
   * no timestamp): the change is then identified again from what Jira answers.
   */
  readonly provisional: boolean;
}

/** What Jira said, for events that do not identify their change themselves. */
export interface KnownVersions {
  /** `fields.updated` of the issue as read from Jira. */
  readonly issueUpdated?: string | undefined;
  /** `updated` of the comment as read from Jira. */
  readonly commentUpdated?: string | undefined;
  /** Unique per invocation and stable across its retries: the last resort. */
  readonly invocationToken?: string | undefined;
}

export function identifyChange(
  event: JiraEvent,
  installationId: string,
  known: KnownVersions = {},
): Change {
  const issueId = event.issue.id;
  const kind = kindOf(event);
  const fromEvent = versionFromEvent(event);
  const version =
    fromEvent ?? versionFromJira(kind, known) ?? `invocation:${known.invocationToken ?? 'none'}`;
  const changeKey =
    kind === 'issue-updated' || kind === 'comment' ? `${keyPrefix(event)}${version}` : version;
  const digest = createHash('sha256')
    .update(`${installationId}|${issueId}|${changeKey}`)
    .digest('hex');

  return {
    kind,
    issueId,
    changeKey,
    deliveryId: `ts_${digest.slice(0, 32)}`,
    provisional: fromEvent === undefined,
  };
}

function kindOf(event: JiraEvent): ChangeKind {
  switch (event.eventType) {
    case 'avi:jira:created:issue':
      return 'issue-created';
    case 'avi:jira:updated:issue':
    case 'avi:jira:assigned:issue':
      return 'issue-updated';
    case 'avi:jira:deleted:issue':
      return 'issue-deleted';
    case 'avi:jira:commented:issue':
      return 'comment';
    case 'avi:jira:deleted:comment':
      return 'comment-deleted';
  }
}

function keyPrefix(event: JiraEvent): string {
  return isCommentEvent(event) ? `comment:${event.comment.id}:` : '';
}

/**
 * Created and deleted happen once per issue, a comment delete once per comment. An update is
 * named by its changelog id, which `assigned:issue` and `updated:issue` share for one
 * assignment; without one, the issue's `updated` time, then the event time, stand in. A
 * comment is named with its `updated` time, so an edit is a new change.
 */
function versionFromEvent(event: JiraEvent): string | undefined {
  const timestamp = event.timestamp === undefined ? undefined : `event:${event.timestamp}`;

  switch (event.eventType) {
    case 'avi:jira:created:issue':
      return 'created';
    case 'avi:jira:deleted:issue':
      return 'deleted';
    case 'avi:jira:deleted:comment':
      return `comment-deleted:${event.comment.id}`;
    case 'avi:jira:commented:issue':
      return event.comment.updated ?? event.comment.created ?? timestamp;
    case 'avi:jira:updated:issue':
    case 'avi:jira:assigned:issue': {
      if (event.changelog?.id) return `changelog:${event.changelog.id}`;

      const updated = event.issue.fields?.updated;
      return updated === undefined ? timestamp : `updated:${instant(updated)}`;
    }
  }
}

/** One instant, however Jira wrote it: epoch ms, `…+0000`, `…Z` or `…+00:00` all agree. */
function instant(value: string | number): string {
  if (typeof value === 'number') return String(value);

  const millis = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(millis) ? String(millis) : value;
}

/**
 * A release gets a delivery id of its own. If a change was first sent as `outsourced` and the
 * issue was released before Forge retried it, the retry carries the release: under the first
 * id, a receiver that already stored the first attempt would drop the release as a duplicate.
 */
export function asRelease(change: Change): Change {
  return { ...change, deliveryId: releaseIdOf(change.deliveryId) };
}

/** The id a change's release goes under, made from the change's own id. */
export function releaseIdOf(deliveryId: string): string {
  const digest = createHash('sha256').update(`${deliveryId}|released`).digest('hex');
  return `ts_${digest.slice(0, 32)}`;
}

function versionFromJira(kind: ChangeKind, known: KnownVersions): string | undefined {
  if (kind === 'comment' && known.commentUpdated) return `jira:${known.commentUpdated}`;
  if (kind === 'issue-updated' && known.issueUpdated) return `jira-updated:${known.issueUpdated}`;
  return undefined;
}
