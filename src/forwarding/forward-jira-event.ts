import { RetriableError } from '../core/errors';
import { parseJiraEvent, readEventType, readIssueId } from '../core/jira-event';
import { RETRY_FOR_HOURS, retryDelaySeconds, retryWindowClosed } from '../core/retry-policy';
import { describeIssues } from '../core/zod-issues';
import { decide, prepare } from './assess-change';
import type { Prepared } from './assess-change';
import { startDelivery } from './deliver-change';
import type { ForwardOutcome } from './outcome';
import { isSkipped, report, skipped } from './outcome';
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
 * Jira did not answer (429, 5xx, network): the event goes on the queue to be decided again,
 * after the delay Jira asked for or a backoff, until `RETRY_FOR_HOURS` have passed.
 */
async function decideLater(
  prepared: Prepared,
  attempt: EventAttempt,
  error: RetriableError,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { event, log } = prepared;
  const now = deps.now();
  const attempts = attempt.attempts + 1;
  if (retryWindowClosed(attempt.firstAttemptAt, now)) {
    return giveUpOnJira(prepared, attempt, error, deps);
  }

  const delay = retryDelaySeconds({
    retryCount: attempt.attempts,
    requestedSeconds: error.retryAfterSeconds,
    random: deps.random,
  });
  await deps.queue.push(
    [
      {
        type: 'event',
        event: storable(event),
        attempts,
        firstAttemptAt: attempt.firstAttemptAt,
      },
    ],
    { delayInSeconds: delay },
  );

  log.warn('Jira did not answer; deciding the event again later', {
    error: error.message,
    attempts,
    retryAfter: delay,
  });
  return {
    outcome: 'queued',
    deliveryId: undefined,
    issueId: event.issue.id,
    sequence: undefined,
    attempts,
    retryAt: new Date(now + delay * 1000).toISOString(),
    detail: error.message,
  };
}

async function giveUpOnJira(
  prepared: Prepared,
  attempt: EventAttempt,
  error: RetriableError,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { event, change, log } = prepared;
  const detail = log.redactor.redactText(
    `Jira did not answer for ${RETRY_FOR_HOURS} hours (last: ${error.message})`,
  );
  const project = (event.issue.fields as { project?: { id?: unknown } } | undefined)?.project;

  await deps.deadLetters.add({
    version: 1,
    deliveryId: change.deliveryId,
    baseDeliveryId: change.deliveryId,
    issueId: change.issueId,
    issueKey: prepared.record?.issueKey ?? event.issue.key ?? '',
    projectId: typeof project?.id === 'string' ? project.id : (prepared.record?.projectId ?? ''),
    sequence: null,
    event: storable(event),
    reason: 'jira-unreadable',
    detail,
    status: null,
    attempts: attempt.attempts + 1,
    firstAttemptAt: attempt.firstAttemptAt,
    deadAt: deps.now(),
  });
  log.error('Not delivered: kept as a dead letter', { reason: 'jira-unreadable', detail });
  return {
    outcome: 'dead-letter',
    deliveryId: change.deliveryId,
    issueId: change.issueId,
    reason: 'jira-unreadable',
    detail,
  };
}
