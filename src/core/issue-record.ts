import * as z from 'zod';

/**
 * What the app remembers about an issue tasksource has been told about: enough to release it
 * later, to recognise a change it has already delivered, to number the issue's changes in
 * order, and to see that a late event is older than what tasksource has. No issue content.
 *
 * A released issue keeps its record (`state: 'released'`): its sequence carries on if the issue
 * is outsourced again, so tasksource never sees a number twice for one issue.
 */

/** How many recent delivery ids a record keeps to recognise redelivered events. */
export const REMEMBERED_DELIVERIES = 100;

const fields = {
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
};

/** Delivery ids kept as dead letters lately: a redelivered event for one is not sent again. */
const deadIds = z.array(z.string()).max(REMEMBERED_DELIVERIES);

const recordV1 = z.strictObject({
  version: z.literal(1),
  ...fields,
  deliveryIds: z.array(z.string()).max(25),
});

export const issueRecordSchema = z.strictObject({
  version: z.literal(2),
  ...fields,
  /** `released` once tasksource was told the issue left; the record stays for its sequence. */
  state: z.enum(['outsourced', 'released']),
  /** Every change numbered up to here is settled: delivered, dead-lettered or dropped. */
  sequence: z.number().int().nonnegative(),
  /** Jira's time of the newest issue change forwarded; an older one arriving late is stale. */
  lastChangeAt: z.number().nullable(),
  /** Jira's time of the newest change of any kind delivered (comments too): reconciliation. */
  lastEventAt: z.number().nullable(),
  deadIds: deadIds.default([]),
});

export type IssueRecord = z.infer<typeof issueRecordSchema>;

/** Reads a stored record, upgrading one written before records were numbered. */
export function parseIssueRecord(stored: unknown): IssueRecord | undefined {
  const current = issueRecordSchema.safeParse(stored);
  if (current.success) return current.data;

  const old = recordV1.safeParse(stored);
  if (!old.success) return undefined;
  return {
    ...old.data,
    version: 2,
    state: 'outsourced',
    sequence: 0,
    lastChangeAt: null,
    lastEventAt: null,
    deadIds: [],
  };
}

/** The record only while tasksource works the issue; a released issue is not outsourced. */
export function outsourcedRecord(record: IssueRecord | undefined): IssueRecord | undefined {
  return record?.state === 'outsourced' ? record : undefined;
}

export function rememberDelivery(
  previous: IssueRecord | undefined,
  next: Omit<
    IssueRecord,
    'version' | 'deliveryIds' | 'episode' | 'lastChangeAt' | 'lastEventAt' | 'deadIds'
  > & {
    /** Jira's time of the change delivered, when the event says. */
    readonly changedAt: number | null;
    /** True for changes whose body carries the whole issue (created, updated). */
    readonly wholeIssue: boolean;
  },
  deliveryId: string,
): IssueRecord {
  const { changedAt, wholeIssue, ...facts } = next;
  const earlier = (previous?.deliveryIds ?? []).filter((id) => id !== deliveryId);
  const deliveryIds = [...earlier, deliveryId].slice(-REMEMBERED_DELIVERIES);
  const continues = previous?.state === 'outsourced';
  const before = continues ? previous : undefined;

  return {
    version: 2,
    ...facts,
    episode: before ? before.episode : deliveryId,
    deliveryIds,
    lastChangeAt: newest(before?.lastChangeAt ?? null, wholeIssue ? changedAt : null),
    lastEventAt: newest(before?.lastEventAt ?? null, changedAt),
    deadIds: (previous?.deadIds ?? []).filter((id) => id !== deliveryId),
  };
}

function newest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * The record once a change numbered `sequence` is settled without being delivered (dead
 * letter, or nothing left to send): the numbering moves on, nothing else changes. An issue
 * never recorded gets a released record, which holds only its numbering.
 */
export function settleWithoutDelivery(
  stored: IssueRecord | undefined,
  sequence: number,
  facts: {
    connectionId: string;
    issueId: string;
    issueKey: string;
    projectId: string;
    now: number;
  },
  deadLetter?: string,
): IssueRecord {
  const dead = deadLetter ? [deadLetter] : [];
  if (stored) {
    const deadIds = [...stored.deadIds.filter((id) => id !== deadLetter), ...dead];
    return {
      ...stored,
      sequence: Math.max(stored.sequence, sequence),
      updatedAt: facts.now,
      deadIds: deadIds.slice(-REMEMBERED_DELIVERIES),
    };
  }

  return {
    version: 2,
    connectionId: facts.connectionId,
    episode: '',
    issueId: facts.issueId,
    issueKey: facts.issueKey,
    projectId: facts.projectId,
    projectKey: '',
    labels: [],
    deliveryIds: [],
    updatedAt: facts.now,
    state: 'released',
    sequence,
    lastChangeAt: null,
    lastEventAt: null,
    deadIds: dead,
  };
}
