import type { SkipReason } from '../core/forwarding-rules';
import type { Logger } from '../core/logger';
import type { WebhookEvent } from '../core/webhook-payload';

/**
 * What became of one change, as data: the trigger and the consumer return it to Forge (which
 * ignores it) and the local runtime prints it. Failures worth retrying never surface here:
 * they become `queued`.
 */

export type ForwardOutcome =
  | {
      readonly outcome: 'delivered';
      readonly deliveryId: string;
      readonly sequence: number;
      readonly webhookEvent: WebhookEvent;
      readonly state: 'outsourced' | 'released';
      readonly status: number;
    }
  | Skipped
  | {
      /** Waiting in the queue: behind an earlier change of the issue, or for its next attempt. */
      readonly outcome: 'queued';
      readonly deliveryId: string | undefined;
      readonly issueId: string;
      readonly sequence: number | undefined;
      readonly attempts: number;
      readonly retryAt: string;
      readonly detail: string;
    }
  | {
      readonly outcome: 'dead-letter';
      readonly deliveryId: string;
      readonly issueId: string;
      readonly reason: string;
      readonly detail: string;
    };

export interface Skipped {
  readonly outcome: 'skipped';
  readonly eventType: string | undefined;
  readonly issueId: string | undefined;
  readonly reason: OutcomeSkipReason;
  readonly detail: string;
}

export type OutcomeSkipReason =
  | SkipReason
  | 'invalid-event'
  | 'unknown-event-type'
  | 'self-generated'
  | 'issue-unreadable'
  | 'comment-not-found'
  | 'comment-unreadable';

export function isSkipped<T extends object>(value: T | Skipped): value is Skipped {
  return 'outcome' in value && value.outcome === 'skipped';
}

export function skipped(
  eventType: string | undefined,
  issueId: string | undefined,
  reason: OutcomeSkipReason,
  detail: string,
): Skipped {
  return { outcome: 'skipped', eventType, issueId, reason, detail };
}

export function report(log: Logger, outcome: Skipped): Skipped {
  log.info('Not forwarded', { reason: outcome.reason, detail: outcome.detail });
  return outcome;
}

export const SKIP_DETAILS: Record<SkipReason, string> = {
  'project-not-configured': 'the issue is in a project with no tasksource label',
  'project-disabled': 'forwarding is disabled for this project',
  'not-assigned-to-integration-account': 'the issue is not assigned to the integration account',
  'no-mapped-label': "the issue carries none of its project's tasksource labels",
  'only-a-lookalike-label':
    "the issue's label differs from its project's tasksource label only by case or look-alike characters",
  'not-connected': 'tasksource is not connected yet',
  'issue-not-found': 'Jira has no such issue, or the app cannot see it',
  duplicate: 'this change was already delivered',
  stale: 'tasksource already has a newer change of this issue',
};
