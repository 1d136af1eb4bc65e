import { createLogger, parseLogLevel } from '../core/logger';
import { forwardJiraEvent } from '../forwarding/forward-jira-event';
import { forwardingDeps } from './forwarding-deps';
import { toPlatformOutcome } from './platform-outcome';
import { retryCountOf } from './retry-count';

/**
 * The trigger: Forge calls this for every subscribed Jira event. It makes the first attempt;
 * anything after that waits in the queue (`on-delivery-queue.ts`).
 */
export async function onJiraEvent(event: unknown, context: unknown) {
  const log = createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) });
  const retry = retryCountOf(event);

  try {
    return await forwardJiraEvent(
      event,
      { attempts: 0, firstAttemptAt: Date.now() },
      forwardingDeps(log, context),
    );
  } catch (error) {
    return toPlatformOutcome(error, { log, retry, random: Math.random });
  }
}
