import { InvocationError, InvocationErrorCode } from '@forge/events';

import { PermanentError, RetriableError, ValidationError } from '../core/errors';
import type { Logger } from '../core/logger';
import { MAX_PLATFORM_RETRIES, retryDelaySeconds } from '../core/retry-policy';
import { UnreadableSettingsError } from '../adapters/kvs-settings-store';

/**
 * The one place errors become Forge outcomes. Delivery failures never get here: they wait in
 * the queue as data (`forwarding/settle.ts`). What does get here is the app's own storage or
 * queue failing under it:
 * - retriable: a returned `InvocationError`, so Forge calls the function again later (a thrown
 *   error is not documented to be retried, FORGE.md §5); every step is safe to repeat;
 * - permanent: logged, and the change is not delivered;
 * - anything else is a bug: logged and re-thrown, so Forge records the invocation as failed.
 */

export interface FailedOutcome {
  readonly outcome: 'failed';
  readonly reason: string;
}

export function toPlatformOutcome(
  error: unknown,
  context: {
    log: Logger;
    retry: number;
    random: () => number;
    /**
     * Retries Forge grants: 4 for a trigger; a queue consumer is retried for as long as its
     * event's retention window lasts (24 hours), so it passes no limit.
     */
    maxRetries?: number;
  },
): InvocationError | FailedOutcome {
  const { log, retry } = context;
  const maxRetries = context.maxRetries ?? MAX_PLATFORM_RETRIES;

  if (error instanceof RetriableError) {
    if (retry >= maxRetries) {
      // Storage or the queue failed five times running; nothing is left to keep the change in.
      const reason = `gave up after the ${maxRetries} retries Forge allows`;
      log.error('Not handled: the app could not store or queue the change', {
        error: error.message,
        attempts: retry + 1,
      });
      return { outcome: 'failed', reason: `${reason} (last: ${error.message})` };
    }

    const retryAfter = retryDelaySeconds({
      retryCount: retry,
      requestedSeconds: error.retryAfterSeconds,
      random: context.random,
    });
    log.warn('Will retry', { error: error.message, retry, retryAfter });
    return new InvocationError({
      retryAfter,
      retryReason: error.rateLimited
        ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED
        : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    });
  }

  if (
    error instanceof PermanentError ||
    error instanceof ValidationError ||
    error instanceof UnreadableSettingsError
  ) {
    log.error('Not delivered, and not retried', { error: error.message });
    return { outcome: 'failed', reason: error.message };
  }

  log.error('Unexpected error', { error });
  throw error;
}
