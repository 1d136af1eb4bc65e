import * as z from 'zod';

/**
 * A change of an outsourced issue on its way to tasksource, under `out:<issueId>:<sequence>`.
 * The entry is written before the first attempt with `FAIL_IF_EXISTS`, which both numbers the
 * change (two events racing for one number: one wins, the other takes the next) and claims it
 * (a redelivered event finds its own entry). Attempts after the first run from the queue, in
 * sequence order per issue; the Jira event is kept so each attempt reads the issue afresh.
 */

// Built on first use: a trigger seldom reads one, and its cold start should not pay for it.
export const pendingDeliverySchema = z.lazy(() =>
  z.strictObject({
    version: z.literal(1),
    issueId: z.string(),
    sequence: z.number().int().positive(),
    deliveryId: z.string(),
    /** The change's id before any release: a retry that finds the issue released sends that. */
    baseDeliveryId: z.string(),
    /** The Jira event as Forge delivered it (without `retryContext`). */
    event: z.record(z.string(), z.unknown()),
    /**
     * `sending`: an invocation holds it until `leaseUntil`; `waiting`: due at `nextAttemptAt`
     * (behind earlier changes, or after a failed attempt). Once the issue record's `sequence`
     * reaches the entry, it is settled whatever it says; it expires by itself.
     */
    state: z.enum(['sending', 'waiting']),
    /** Every try so far, Jira reads that failed included: the backoff grows with it. */
    attempts: z.number().int().nonnegative(),
    /** POSTs that may have reached tasksource: `x-atlassian-webhook-retry` of the next one. */
    sent: z.number().int().nonnegative(),
    /** True when the event named no version of its change: the id comes from Jira's answer. */
    provisional: z.boolean(),
    firstAttemptAt: z.number(),
    nextAttemptAt: z.number(),
    leaseUntil: z.number(),
    issueKey: z.string(),
    projectId: z.string(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    /** Set when an admin resent it: its dead letter goes once it is settled. */
    fromDeadLetter: z.literal(true).optional(),
    /**
     * The delivery ids its delivery log rows may be under (at `firstAttemptAt`), each added
     * before its row is written. An attempt may go under another id than the last (a retry
     * that finds the issue released sends the release, which has its own); the change's row
     * then moves to that id, and the others go.
     */
    logRows: z.array(z.string()).optional(),
  }),
);

export type PendingDelivery = z.infer<typeof pendingDeliverySchema>;

/** Zero-padded so keys sort in sequence order. */
export function pendingKey(issueId: string, sequence: number): string {
  return `out:${issueId}:${String(sequence).padStart(10, '0')}`;
}
