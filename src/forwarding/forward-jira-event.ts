import { RetriableError } from '../core/errors';
import { parseJiraEvent, readEventType, readIssueId } from '../core/jira-event';
import { identifyChange } from '../core/identify-change';
import { retryDelaySeconds } from '../core/retry-policy';
import { describeIssues } from '../core/zod-issues';
import { decide, prepare, projectIdOf } from './assess-change';
import type { Prepared } from './assess-change';
import { startDelivery } from './deliver-change';
import type { ForwardOutcome } from './outcome';
import { isSkipped, report, skipped } from './outcome';
import { isAllocation, numberChange } from './number-change';
import { waitInQueue } from './settle';
import { storable } from './storable-event';
import type { ForwardingDeps } from './ports';

/**
 * One Jira event, start to finish: parse, recognise a redelivery or a stale change, read the
 * issue from Jira, apply the forwarding rules (`core/forwarding-rules.ts`), then number the
 * change and deliver it (`deliver-change.ts`). If Jira cannot be read right now, the event
 * waits in the queue and is decided again later; it is never dropped for that.
 */

export interface EventAttempt {
  /** Earlier attempts at deciding this event: 0 from the trigger. */
  readonly attempts: number;
  /** When the trigger first saw it. */
  readonly firstAttemptAt: number;
}

export async function forwardJiraEvent(
  input: unknown,
  attempt: EventAttempt,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const parsed = parseJiraEvent(input);
  if (!parsed.ok) {
    const detail = describeIssues(parsed.issues);
    const outcome = skipped(readEventType(input), readIssueId(input), parsed.reason, detail);
    return report(deps.log, outcome);
  }

  const settings = await deps.settings.load();
  const prepared = await prepare(parsed.event, settings, deps);
  if (isSkipped(prepared)) return prepared;

  let decided;
  try {
    decided = await decide(prepared, deps);
  } catch (error) {
    if (!(error instanceof RetriableError)) throw error;
    return decideLater(prepared, attempt, error, deps);
  }
  if (isSkipped(decided)) return decided;

  return startDelivery(prepared, decided, attempt, deps);
}

/**
 * Jira did not answer (429, 5xx, network): the change is numbered now, undecided, so that
 * later changes of the issue still wait behind it, and the queue decides it again after the
 * delay Jira asked for or a backoff. If it turns out not to be outsourced, nothing is sent.
 */
async function decideLater(
  prepared: Prepared,
  attempt: EventAttempt,
  error: RetriableError,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { event, change, log } = prepared;
  const now = deps.now();
  const delay = retryDelaySeconds({
    retryCount: attempt.attempts,
    requestedSeconds: error.retryAfterSeconds,
    random: deps.random,
  });
  // An event naming no version of its change gets an id of its own until Jira can say.
  const deliveryId = change.provisional
    ? identifyChange(event, deps.installation.installationId, {
        invocationToken: `${now}:${deps.random()}`,
      }).deliveryId
    : change.deliveryId;

  const allocation = await numberChange(
    prepared,
    {
      version: 1,
      issueId: change.issueId,
      deliveryId,
      baseDeliveryId: deliveryId,
      event: storable(event),
      attempts: attempt.attempts + 1,
      sent: 0,
      provisional: change.provisional,
      firstAttemptAt: attempt.firstAttemptAt,
      nextAttemptAt: now + delay * 1000,
      leaseUntil: 0,
      issueKey: prepared.record?.issueKey ?? event.issue.key ?? '',
      projectId: projectIdOf(prepared),
      lastStatus: null,
      lastError: log.redactor.redactText(error.message),
    },
    { sendNow: false },
    deps,
  );
  if (!isAllocation(allocation)) return allocation;
  log.warn('Jira did not answer; the change waits in the queue to be decided again', {
    error: error.message,
    sequence: allocation.entry.sequence,
  });
  return waitInQueue(allocation.entry, error.message, deps);
}
