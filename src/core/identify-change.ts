import { createHash } from 'node:crypto';

import type { JiraEvent } from './jira-event';

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
}

export function identifyChange(event: JiraEvent, installationId: string): Change {
  const issueId = event.issue.id;
  const { kind, changeKey } = describeChange(event);
  const digest = createHash('sha256')
    .update(`${installationId}|${issueId}|${changeKey}`)
    .digest('hex');

  return { kind, issueId, changeKey, deliveryId: `ts_${digest.slice(0, 32)}` };
}

function describeChange(event: JiraEvent): { kind: ChangeKind; changeKey: string } {
  switch (event.eventType) {
    case 'avi:jira:created:issue':
      return { kind: 'issue-created', changeKey: 'created' };
    case 'avi:jira:updated:issue':
    case 'avi:jira:assigned:issue':
      return { kind: 'issue-updated', changeKey: updateKey(event) };
    case 'avi:jira:deleted:issue':
      return { kind: 'issue-deleted', changeKey: 'deleted' };
    case 'avi:jira:commented:issue': {
      const { id, updated, created } = event.comment;
      const version = updated ?? created ?? String(event.timestamp ?? '');
      return { kind: 'comment', changeKey: `comment:${id}:${version}` };
    }
    case 'avi:jira:deleted:comment':
      return { kind: 'comment-deleted', changeKey: `comment-deleted:${event.comment.id}` };
  }
}

/**
 * An update is named by its changelog id, which `assigned:issue` and `updated:issue` share for
 * one assignment. Without one, the issue's `updated` time, then the event time, stand in.
 */
function updateKey(event: Extract<JiraEvent, { changelog?: unknown }>): string {
  if (event.changelog?.id) return `changelog:${event.changelog.id}`;

  const updated = event.issue.fields?.updated;
  if (updated !== undefined) return `updated:${updated}`;

  return `event:${event.timestamp ?? 'unknown'}`;
}
