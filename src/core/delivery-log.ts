import * as z from 'zod';

/**
 * What admins read on the settings pages: one entry per delivery, updated as it moves on,
 * under `log:<projectId>:<inverted first-attempt time>:<deliveryId>` so a prefix query lists a
 * project's newest deliveries first. Entries expire after `LOG_DAYS` days. Issue keys, event
 * names, statuses and our own error sentences only: no issue content, no URL, no secret.
 */

export const LOG_DAYS = 7;

export const deliveryStateSchema = z.enum(['delivered', 'retrying', 'dead-letter', 'skipped']);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;

// Built on first use: a trigger seldom reads one, and its cold start should not pay for it.
export const deliveryLogEntrySchema = z.lazy(() =>
  z.strictObject({
    version: z.literal(1),
    deliveryId: z.string(),
    issueId: z.string(),
    issueKey: z.string(),
    projectId: z.string(),
    sequence: z.number().int().positive().nullable(),
    /** The Jira event that reported the change, e.g. `avi:jira:commented:issue`. */
    eventType: z.string(),
    /** The admin-webhook event sent, e.g. `comment_created`; null until a body was built. */
    webhookEvent: z.string().nullable(),
    state: deliveryStateSchema,
    status: z.number().int().nullable(),
    attempts: z.number().int().nonnegative(),
    /** Milliseconds tasksource took to answer the last attempt; null when it did not answer. */
    latencyMs: z.number().nonnegative().nullable(),
    error: z.string().nullable(),
    firstAttemptAt: z.number(),
    updatedAt: z.number(),
  }),
);

export type DeliveryLogEntry = z.infer<typeof deliveryLogEntrySchema>;

/** Larger than any epoch-millisecond time until the year 2286. */
const TIME_CEILING = 9_999_999_999_999;

export function logPrefix(projectId: string): string {
  return `log:${projectId || 'none'}:`;
}

/** What a row's key is made of. */
export type LogRowId = Pick<DeliveryLogEntry, 'projectId' | 'firstAttemptAt' | 'deliveryId'>;

export function logKey(entry: LogRowId) {
  const inverted = String(TIME_CEILING - Math.floor(entry.firstAttemptAt)).padStart(13, '0');
  return `${logPrefix(entry.projectId)}${inverted}:${entry.deliveryId}`;
}
