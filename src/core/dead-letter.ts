import * as z from 'zod';

/**
 * A change that could not be delivered and will not be retried by itself, under
 * `dead:<deliveryId>`: kept with its reason so an admin sees it on the admin page and can
 * resend it (same delivery id, same path). Bounded: at most `MAX_DEAD_LETTERS`, each kept
 * `DEAD_LETTER_DAYS` days.
 */

export const MAX_DEAD_LETTERS = 500;
export const DEAD_LETTER_DAYS = 30;

export const deadLetterReasonSchema = z.enum([
  /** tasksource answered a 4xx other than 408, 410 and 429: it refused this body. */
  'rejected',
  /** tasksource answered 410: it disabled this endpoint. Nothing is sent until reconnected. */
  'endpoint-disabled',
  /** Retried for `RETRY_FOR_HOURS` without success (an outage longer than that). */
  'expired',
  /** The app could not build a body for it (a bug, or data Jira should not have sent). */
  'unbuildable',
  /** Jira did not answer the app's reads for `RETRY_FOR_HOURS`. */
  'jira-unreadable',
  /** The issue already had `MAX_WAITING_PER_ISSUE` changes waiting; this one got no number. */
  'too-many-waiting',
]);

export type DeadLetterReason = z.infer<typeof deadLetterReasonSchema>;

/**
 * Reasons that say nothing against the change itself (tasksource or Jira was away): "Resend
 * all" takes these. A refused or unbuildable change would fail the same way again.
 */
export const RESENT_TOGETHER: readonly DeadLetterReason[] = [
  'endpoint-disabled',
  'expired',
  'jira-unreadable',
  'too-many-waiting',
];

// Built on first use: a trigger seldom reads one, and its cold start should not pay for it.
export const deadLetterSchema = z.lazy(() =>
  z.strictObject({
    version: z.literal(1),
    deliveryId: z.string(),
    baseDeliveryId: z.string(),
    issueId: z.string(),
    issueKey: z.string(),
    projectId: z.string(),
    /** Null for an event that never got a number (Jira did not answer while it was decided). */
    sequence: z.number().int().positive().nullable(),
    event: z.record(z.string(), z.unknown()),
    reason: deadLetterReasonSchema,
    detail: z.string(),
    status: z.number().int().nullable(),
    attempts: z.number().int().nonnegative(),
    firstAttemptAt: z.number(),
    deadAt: z.number(),
  }),
);

export type DeadLetter = z.infer<typeof deadLetterSchema>;

export function deadLetterKey(deliveryId: string): string {
  return `dead:${deliveryId}`;
}
