import type { DeadLetter, DeadLetterReason } from '../core/dead-letter';
import { RetriableError } from '../core/errors';
import type { DeliveryLogEntry, DeliveryState, LogRowId } from '../core/delivery-log';
import type { IssueRecord } from '../core/issue-record';
import { settleWithoutDelivery } from '../core/issue-record';
import type { Logger } from '../core/logger';
import type { PendingDelivery } from '../core/pending-delivery';
import { RETRY_FOR_HOURS, retryDelaySeconds, retryWindowClosed } from '../core/retry-policy';
import type { ForwardOutcome } from './outcome';
import type { ForwardingDeps } from './ports';

/**
 * How a numbered change ends an attempt: delivered (the caller writes the record), retried
 * later from the queue, set aside as a dead letter, or skipped because nothing is left to
 * send. Each writes the delivery log, and each but a retry moves the issue's numbering on so
 * the next change can go: the record and the log entry in one transaction.
 */

export interface Settling {
  readonly entry: PendingDelivery;
  /** The id this attempt sent under (a release has its own). */
  readonly deliveryId: string;
  readonly stored: IssueRecord | undefined;
  readonly connectionId: string;
  readonly eventType: string;
  readonly webhookEvent: string | null;
  readonly log: Logger;
}

export interface Failure {
  readonly message: string;
  readonly status: number | null;
  readonly requestedSeconds: number | undefined;
  /** Who did not answer: tasksource (the default), or Jira while the change was decided. */
  readonly source?: 'tasksource' | 'jira';
}

/** Pushes a queue event that works through the issue's pending deliveries. */
export async function kick(deps: ForwardingDeps, issueId: string, delaySeconds: number) {
  await deps.queue.push([{ type: 'issue', issueId }], { delayInSeconds: delaySeconds });
}

/**
 * Leaves a numbered change to the queue: it goes when it is due (`nextAttemptAt`), or, while
 * an invocation holds it, when that hold runs out.
 */
export async function waitInQueue(
  entry: PendingDelivery,
  detail: string,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const now = deps.now();
  const dueAt = entry.state === 'sending' ? entry.leaseUntil : entry.nextAttemptAt;
  const delaySeconds = Math.max(0, Math.ceil((dueAt - now) / 1000));
  await kick(deps, entry.issueId, delaySeconds);

  return {
    outcome: 'queued',
    deliveryId: entry.deliveryId,
    issueId: entry.issueId,
    sequence: entry.sequence,
    attempts: entry.attempts,
    retryAt: new Date(now + delaySeconds * 1000).toISOString(),
    detail,
  };
}

/** `settling.entry.attempts` already counts the attempt that just failed. */
export async function retryLater(
  settling: Settling,
  failure: Failure,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { entry, log } = settling;
  const now = deps.now();
  const { attempts } = entry;
  if (retryWindowClosed(entry.firstAttemptAt, now)) {
    const detail = `not delivered in ${RETRY_FOR_HOURS} hours of retries (last: ${failure.message})`;
    const reason = failure.source === 'jira' ? 'jira-unreadable' : 'expired';
    return setAside(settling, reason, detail, failure, deps);
  }

  const delay = retryDelaySeconds({
    retryCount: Math.max(0, attempts - 1),
    requestedSeconds: failure.requestedSeconds,
    random: deps.random,
  });
  // The queue event first: if the push fails, the lease runs out and the next drain retries.
  await kick(deps, entry.issueId, delay);
  const waiting: PendingDelivery = {
    ...entry,
    state: 'waiting',
    attempts,
    nextAttemptAt: now + delay * 1000,
    leaseUntil: 0,
    lastStatus: failure.status,
    lastError: log.redactor.redactText(failure.message),
    logRows: withRow(entry.logRows, settling.deliveryId),
  };
  // The entry first, naming the row about to be written: whatever fails after it, a later
  // attempt knows every row this change may have.
  await deps.pending.put(waiting);
  await writeLog(
    settling,
    waiting,
    'retrying',
    { status: failure.status, error: failure.message },
    deps,
  );
  await forgetEarlierRows(settling, entry, deps);

  log.info('Will retry from the queue', { attempts, retryAfter: delay, error: failure.message });
  return {
    outcome: 'queued',
    deliveryId: settling.deliveryId,
    issueId: entry.issueId,
    sequence: entry.sequence,
    attempts,
    retryAt: new Date(waiting.nextAttemptAt).toISOString(),
    detail: failure.message,
  };
}

export async function setAside(
  settling: Settling,
  reason: DeadLetterReason,
  detail: string,
  failure: Pick<Failure, 'status'>,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { entry, log } = settling;
  const safeDetail = log.redactor.redactText(detail);

  await keepDeadLetter(
    { ...entry, deliveryId: settling.deliveryId },
    { reason, detail: safeDetail, status: failure.status },
    deps,
  );
  const logged = logEntry(
    settling,
    entry,
    'dead-letter',
    { status: failure.status, error: safeDetail },
    deps,
  );
  await moveNumberingOn(settling, deps, { deadLetter: settling.deliveryId, logged });
  await forgetEarlierRows(settling, entry, deps);

  log.error('Not delivered: kept as a dead letter', { reason, detail: safeDetail });
  return {
    outcome: 'dead-letter',
    deliveryId: settling.deliveryId,
    issueId: entry.issueId,
    reason,
    detail: safeDetail,
  };
}

/** What a dead letter and a log entry say about a change; `sequence` null if never numbered. */
type LoggedChange = Pick<
  PendingDelivery,
  'issueId' | 'issueKey' | 'projectId' | 'attempts' | 'firstAttemptAt'
> & { readonly sequence: number | null };

type KeptChange = LoggedChange & Pick<PendingDelivery, 'deliveryId' | 'baseDeliveryId' | 'event'>;

async function keepDeadLetter(
  change: KeptChange,
  why: { reason: DeadLetterReason; detail: string; status: number | null },
  deps: ForwardingDeps,
): Promise<void> {
  await deps.deadLetters.add({
    version: 1,
    deliveryId: change.deliveryId,
    baseDeliveryId: change.baseDeliveryId,
    issueId: change.issueId,
    issueKey: change.issueKey,
    projectId: change.projectId,
    sequence: change.sequence,
    event: change.event,
    ...why,
    attempts: change.attempts,
    firstAttemptAt: change.firstAttemptAt,
    deadAt: deps.now(),
  });
}

/**
 * A change that could not even be numbered (its issue has too many waiting): kept as a dead
 * letter without a sequence; the issue's numbering is untouched.
 */
export async function setAsideUnnumbered(
  draft: Omit<PendingDelivery, 'sequence' | 'state'>,
  reason: DeadLetterReason,
  detail: string,
  log: Logger,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const safeDetail = log.redactor.redactText(detail);
  const eventType = typeof draft.event.eventType === 'string' ? draft.event.eventType : '';

  const unnumbered = { ...draft, sequence: null };
  await keepDeadLetter(unnumbered, { reason, detail: safeDetail, status: null }, deps);
  await writeLog(
    { deliveryId: draft.deliveryId, eventType, webhookEvent: null, log },
    unnumbered,
    'dead-letter',
    { status: null, error: safeDetail },
    deps,
  );

  log.error('Not delivered: kept as a dead letter', { reason, detail: safeDetail });
  return {
    outcome: 'dead-letter',
    deliveryId: draft.deliveryId,
    issueId: draft.issueId,
    reason,
    detail: safeDetail,
  };
}

/**
 * A change an earlier invocation set aside as a dead letter but died before moving the
 * numbering on: the numbering moves on now, with the row the dead letter should have had, and
 * the change stays a dead letter.
 */
export async function settleSetAside(
  settling: Settling,
  letter: Pick<DeadLetter, 'status' | 'detail'>,
  deps: ForwardingDeps,
): Promise<void> {
  const dead = { status: letter.status, error: letter.detail };
  const logged = logEntry(settling, settling.entry, 'dead-letter', dead, deps);
  await moveNumberingOn(settling, deps, { deadLetter: settling.deliveryId, logged });
  await forgetEarlierRows(settling, settling.entry, deps);
}

/** Nothing to send any more (the issue is no longer outsourced, the change is stale…). */
export async function settleSkipped(
  settling: Settling,
  reason: string,
  deps: ForwardingDeps,
): Promise<void> {
  const logged = logEntry(
    settling,
    settling.entry,
    'skipped',
    { status: null, error: reason },
    deps,
  );
  await moveNumberingOn(settling, deps, { logged });
  await forgetEarlierRows(settling, settling.entry, deps);
}

/** Settles the change's number in the issue's record, with its log entry when it has one. */
async function moveNumberingOn(
  settling: Settling,
  deps: ForwardingDeps,
  how: { readonly deadLetter?: string; readonly logged?: DeliveryLogEntry },
): Promise<void> {
  const { entry } = settling;
  const facts = {
    connectionId: settling.connectionId,
    issueId: entry.issueId,
    issueKey: entry.issueKey,
    projectId: entry.projectId,
    now: deps.now(),
  };
  const record = settleWithoutDelivery(settling.stored, entry.sequence, facts, how.deadLetter);
  await deps.records.put(record, how.logged);
}

type LoggedResult = { status: number | null; error: string | null; latencyMs?: number };

export async function writeLog(
  settling: Pick<Settling, 'deliveryId' | 'eventType' | 'webhookEvent' | 'log'>,
  entry: LoggedChange,
  state: DeliveryState,
  result: LoggedResult,
  deps: ForwardingDeps,
): Promise<void> {
  await deps.deliveryLog.write(logEntry(settling, entry, state, result, deps));
}

/**
 * A change keeps one row in the delivery log, under the id it last went as. When this attempt
 * went under another id than an earlier one (its retry found the issue released and sent the
 * release, or the other way round), the earlier rows go, now that this one is written.
 */
export async function forgetEarlierRows(
  settling: Pick<Settling, 'deliveryId' | 'log'>,
  entry: Pick<PendingDelivery, 'logRows' | 'projectId' | 'firstAttemptAt'>,
  deps: Pick<ForwardingDeps, 'deliveryLog'>,
): Promise<void> {
  const { projectId, firstAttemptAt } = entry;
  for (const deliveryId of entry.logRows ?? []) {
    if (deliveryId === settling.deliveryId) continue;
    await removeRow({ projectId, firstAttemptAt, deliveryId }, settling.log, deps);
  }
}

/** `ids` with `deliveryId`, once. */
export function withRow(ids: readonly string[] | undefined, deliveryId: string): string[] {
  return ids?.includes(deliveryId) ? [...ids] : [...(ids ?? []), deliveryId];
}

/**
 * Removes a row that no longer describes its change. Failing to is no reason to fail the
 * attempt: the row would show a stale state until it expires with the log.
 */
export async function removeRow(
  row: LogRowId,
  log: Logger,
  deps: Pick<ForwardingDeps, 'deliveryLog'>,
): Promise<void> {
  try {
    await deps.deliveryLog.remove(row);
  } catch (error) {
    if (!(error instanceof RetriableError)) throw error;
    log.warn('A stale delivery log row stays until it expires', { error: error.message });
  }
}

/** What the delivery log says of one attempt at a change; errors are redacted. */
export function logEntry(
  settling: Pick<Settling, 'deliveryId' | 'eventType' | 'webhookEvent' | 'log'>,
  entry: LoggedChange,
  state: DeliveryState,
  result: LoggedResult,
  deps: Pick<ForwardingDeps, 'now'>,
): DeliveryLogEntry {
  return {
    version: 1,
    deliveryId: settling.deliveryId,
    issueId: entry.issueId,
    issueKey: entry.issueKey,
    projectId: entry.projectId,
    sequence: entry.sequence,
    eventType: settling.eventType,
    webhookEvent: settling.webhookEvent,
    state,
    status: result.status,
    attempts: entry.attempts,
    latencyMs: result.latencyMs ?? null,
    error: result.error === null ? null : settling.log.redactor.redactText(result.error),
    firstAttemptAt: entry.firstAttemptAt,
    updatedAt: deps.now(),
  };
}
