import { createLogger, parseLogLevel } from '../core/logger';
import { queueMessageSchema } from '../core/queue-message';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import { drainIssue } from '../forwarding/drain-issue';
import { forwardJiraEvent } from '../forwarding/forward-jira-event';
import { forwardingDeps } from './forwarding-deps';
import { continueReconciliation } from './on-reconcile';
import { toPlatformOutcome } from './platform-outcome';
import { retryCountOf } from './retry-count';

/**
 * The queue consumer: every attempt after the first, in order per issue; events waiting to be
 * decided (Jira was busy, or reconciliation found a change no event reported); and
 * reconciliation runs carried on or started for a newly configured project. A body that does
 * not fit `queue-message.ts` is logged and dropped: retrying it cannot make it fit. Failures worth retrying go back to Forge, which retries the event within
 * its retention window.
 */
export async function onDeliveryQueue(event: unknown, context: unknown) {
  const log = createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) });
  const retry = retryCountOf(event);

  const parsed = queueMessageSchema.safeParse((event as { body?: unknown } | null)?.body);
  if (!parsed.success) {
    const detail = describeIssues(toFieldIssues(parsed.error));
    log.error('Dropping a queue event that does not fit its schema', { detail });
    return { outcome: 'skipped', reason: 'invalid-queue-event', detail };
  }

  const message = parsed.data;
  const deps = forwardingDeps(log, context);
  try {
    if (message.type === 'issue') return await drainIssue(message.issueId, deps);
    if (message.type === 'event') return await forwardJiraEvent(message.event, message, deps);
    return await continueReconciliation(message);
  } catch (error) {
    return toPlatformOutcome(error, {
      log,
      retry,
      random: Math.random,
      maxRetries: Number.POSITIVE_INFINITY,
    });
  }
}
