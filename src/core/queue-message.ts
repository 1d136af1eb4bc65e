import * as z from 'zod';

/**
 * What the app puts on its one queue, `tasksource-deliveries` (manifest `consumer`). The
 * consumer (`src/entry/on-delivery-queue.ts`) checks each body against this before acting.
 */

export const DELIVERY_QUEUE = 'tasksource-deliveries';

const time = z.number().int().nonnegative();

// Built on first use: a trigger seldom reads one, and its cold start should not pay for it.
export const queueMessageSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    /** Work through the issue's pending deliveries (`out:<issueId>:…`), oldest first. */
    z.strictObject({ type: z.literal('issue'), issueId: z.string().regex(/^[0-9]{1,18}$/) }),
    /**
     * Decide and deliver one Jira event: one the trigger could not decide (Jira did not answer),
     * or one reconciliation made up for a change no event reported.
     */
    z.strictObject({
      type: z.literal('event'),
      event: z.record(z.string(), z.unknown()),
      attempts: z.number().int().nonnegative(),
      firstAttemptAt: time,
    }),
    /** Carry on a reconciliation run that ran out of time, or make a project's first run. */
    z.strictObject({
      type: z.literal('reconcile'),
      /** Only these projects (a first run after configuring them); all configured when absent. */
      projectIds: z
        .array(z.string().regex(/^[0-9]{1,18}$/))
        .max(100)
        .optional(),
      /** Opaque resume point from the run before, if it stopped early. */
      resume: z.record(z.string(), z.unknown()).optional(),
    }),
  ]),
);

export type QueueMessage = z.infer<typeof queueMessageSchema>;
