import { RetriableError } from '../core/errors';
import { releaseIdOf } from '../core/identify-change';
import { isAlreadyDelivered } from '../core/forwarding-rules';
import { parseJiraEvent } from '../core/jira-event';
import type { IssueRecord } from '../core/issue-record';
import type { PendingDelivery } from '../core/pending-delivery';
import type { StoredSettings } from '../core/settings';
import { decide, finalChange, prepare } from './assess-change';
import { attemptDelivery } from './deliver-change';
import type { ForwardOutcome } from './outcome';
import { isSkipped, SKIP_DETAILS } from './outcome';
import type { ForwardingDeps } from './ports';
import type { Settling } from './settle';
import { kick, retryLater, setAside, settleSetAside, settleSkipped } from './settle';

/**
 * The queue's side of per-issue order. Forge runs at most one of these per issue at a time
 * (concurrency key `issue-<id>`, limit 1). It takes the issue's next unsettled change, the one
 * numbered right after the record's `sequence`, and only that one: delivers it, or leaves it
 * for its next attempt and stops, so nothing later overtakes it. Then the next, while time
 * lasts. Each attempt reads the issue afresh and applies the rules again.
 */

/** Time kept back for the last attempt's bookkeeping and the queue push after it. */
const RESERVE_MS = 30_000;
const LEASE_MARGIN_MS = 5_000;

export interface DrainOutcome {
  readonly outcome: 'drained' | 'waiting' | 'continued';
  readonly issueId: string;
  readonly attempts: readonly ForwardOutcome[];
  readonly detail: string;
}

export async function drainIssue(issueId: string, deps: ForwardingDeps): Promise<DrainOutcome> {
  let settings = await deps.settings.load();
  const attempts: ForwardOutcome[] = [];
  const done = (outcome: DrainOutcome['outcome'], detail: string): DrainOutcome => ({
    outcome,
    issueId,
    attempts,
    detail,
  });

  for (;;) {
    if (deps.timeLeftMs() < RESERVE_MS) {
      await kick(deps, issueId, 0);
      return done('continued', 'out of time; a new queue event carries on');
    }

    const stored = await deps.records.get(issueId);
    const entry = await deps.pending.get(issueId, (stored?.sequence ?? 0) + 1);
    if (!entry) return done('drained', 'nothing is waiting');

    const now = deps.now();
    if (entry.state === 'sending' && entry.leaseUntil > now) {
      await kick(deps, issueId, Math.ceil((entry.leaseUntil - now) / 1000));
      return done('waiting', 'another invocation holds the next change; looking again later');
    }
    if (entry.state === 'waiting' && entry.nextAttemptAt > now) {
      return done(
        'waiting',
        `the next change is due at ${new Date(entry.nextAttemptAt).toISOString()}`,
      );
    }

    // An expired hold may have sent before it died: the next POST counts it as an attempt.
    const abandoned = entry.state === 'sending' && entry.leaseUntil > 0;
    const setAsideAs = abandoned && !entry.fromDeadLetter && (await deadLetterOf(entry, deps));
    if (setAsideAs) {
      const settling = {
        ...settlingFor(entry, stored, settings, deps),
        deliveryId: setAsideAs.deliveryId,
      };
      await settleSetAside(settling, setAsideAs, deps);
      continue;
    }
    const held: PendingDelivery = {
      ...entry,
      state: 'sending',
      sent: abandoned ? entry.sent + 1 : entry.sent,
      leaseUntil: now + deps.timeLeftMs() + LEASE_MARGIN_MS,
    };
    await deps.pending.put(held);

    const outcome = await attemptEntry(held, stored, settings, deps);
    attempts.push(outcome);
    if (outcome.outcome === 'queued') return done('waiting', outcome.detail);
    // A resent dead letter that went out (or has nothing left to send) is no dead letter now.
    if (held.fromDeadLetter && outcome.outcome !== 'dead-letter') {
      await deps.deadLetters.remove(held.deliveryId);
    }
    // tasksource disabled the endpoint just now: the rest go to dead letters, unsent.
    if (outcome.outcome === 'dead-letter' && outcome.reason === 'endpoint-disabled') {
      settings = await deps.settings.load();
    }
  }
}

/** One attempt at a pending change, deciding it again from Jira as it is now. */
async function attemptEntry(
  entry: PendingDelivery,
  stored: IssueRecord | undefined,
  settings: StoredSettings,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const settling = settlingFor(entry, stored, settings, deps);

  const parsed = parseJiraEvent(entry.event);
  if (!parsed.ok) {
    const detail = `the stored event no longer parses (${parsed.reason})`;
    return setAside(settling, 'unbuildable', detail, { status: null }, deps);
  }

  const prepared = await prepare(parsed.event, settings, deps, { stored, numbered: true });
  if (isSkipped(prepared)) return skip(settling, prepared, deps);

  let decided;
  try {
    decided = await decide(prepared, deps);
  } catch (error) {
    if (!(error instanceof RetriableError)) throw error;

    const failure = {
      message: error.message,
      status: null,
      requestedSeconds: error.retryAfterSeconds,
      source: 'jira' as const,
    };
    return retryLater(
      { ...settling, entry: { ...entry, attempts: entry.attempts + 1 } },
      failure,
      deps,
    );
  }
  if (isSkipped(decided)) return skip(settling, decided, deps);

  // A change whose event named no version is named from what Jira answers now, so a copy of
  // it numbered twice (Jira was busy for the first) is still recognised as one change.
  const fixed = entry.provisional ? undefined : { baseDeliveryId: entry.baseDeliveryId };
  const { change } = finalChange(prepared, decided, deps, fixed);
  if (isAlreadyDelivered(prepared.record, change.deliveryId)) {
    return skip(settling, prepared.skip('duplicate', SKIP_DETAILS.duplicate), deps);
  }
  return attemptDelivery({ prepared, decided, change, entry }, deps);
}

async function skip(
  settling: Settling,
  outcome: Extract<ForwardOutcome, { outcome: 'skipped' }>,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  await settleSkipped(settling, `${outcome.reason}: ${outcome.detail}`, deps);
  return outcome;
}

/**
 * The dead letter an abandoned attempt left, if it died between keeping it and moving the
 * numbering on. It is under the id the attempt went as: the change's own, or its release's.
 * Only this entry's counts: an earlier numbering of the same change (a redelivered event
 * after a release was refused) can have left one under the same ids.
 */
async function deadLetterOf(entry: PendingDelivery, deps: ForwardingDeps) {
  const release = releaseIdOf(entry.baseDeliveryId);
  const ids = new Set([entry.deliveryId, entry.baseDeliveryId, release]);
  for (const id of ids) {
    const letter = await deps.deadLetters.get(id);
    if (letter?.sequence === entry.sequence && letter.firstAttemptAt === entry.firstAttemptAt) {
      return letter;
    }
  }
  return undefined;
}

function settlingFor(
  entry: PendingDelivery,
  stored: IssueRecord | undefined,
  settings: StoredSettings,
  deps: ForwardingDeps,
): Settling {
  return {
    entry,
    deliveryId: entry.deliveryId,
    stored,
    connectionId: settings.connection?.connectionId ?? stored?.connectionId ?? '',
    eventType: typeof entry.event.eventType === 'string' ? entry.event.eventType : '',
    webhookEvent: null,
    log: deps.log.child({ issueId: entry.issueId, sequence: entry.sequence }),
  };
}
