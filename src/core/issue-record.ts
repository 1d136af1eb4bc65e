import { z } from 'zod';

/**
 * What the app remembers about an issue tasksource has been told about: enough to release it
 * later and to recognise a change it has already delivered. No issue content is kept.
 */

/** How many recent delivery ids a record keeps to recognise redelivered events. */
export const REMEMBERED_DELIVERIES = 25;

export const issueRecordSchema = z.strictObject({
  version: z.literal(1),
  /** The tasksource connection the issue was sent to (`StoredConnection.connectionId`). */
  connectionId: z.string(),
  /** The delivery id that first outsourced the issue: one release per such episode. */
  episode: z.string(),
  issueId: z.string(),
  issueKey: z.string(),
  projectId: z.string(),
  projectKey: z.string(),
  labels: z.array(z.string()),
  deliveryIds: z.array(z.string()).max(REMEMBERED_DELIVERIES),
  updatedAt: z.number(),
});

export type IssueRecord = z.infer<typeof issueRecordSchema>;

export function rememberDelivery(
  previous: IssueRecord | undefined,
  next: Omit<IssueRecord, 'version' | 'deliveryIds' | 'episode'>,
  deliveryId: string,
): IssueRecord {
  const earlier = (previous?.deliveryIds ?? []).filter((id) => id !== deliveryId);
  const deliveryIds = [...earlier, deliveryId].slice(-REMEMBERED_DELIVERIES);

  return { version: 1, ...next, episode: previous?.episode ?? deliveryId, deliveryIds };
}
