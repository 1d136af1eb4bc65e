import { InvocationError, InvocationErrorCode } from '@forge/events';

import { PermanentError, RetriableError, ValidationError } from '../core/errors';
import type { Logger } from '../core/logger';
import { MAX_PLATFORM_RETRIES, retryDelaySeconds } from '../core/retry-policy';
import { UnreadableSettingsError } from '../adapters/kvs-settings-store';

/**
 * The one place errors become Forge outcomes:
 * - retriable: a returned `InvocationError`, so Forge calls the trigger again later (a thrown
 *   error is not documented to be retried, FORGE.md §5);
 * - permanent: logged and dropped, since trying again cannot help;
 * - anything else is a bug: logged and re-thrown, so Forge records the invocation as failed.
 */

export interface FailedOutcome {
  readonly outcome: 'failed';
  readonly reason: string;
}

export function toPlatformOutcome(
  error: unknown,
  context: { log: Logger; retry: number; claimToken: string; random: () => number },
): ReturnType<typeof retryLater> | FailedOutcome {
  const { log, retry } = context;

  if (error instanceof RetriableError) {
    const retryAfter = retryDelaySeconds({
      retryCount: retry,
      requestedSeconds: error.retryAfterSeconds,
      random: context.random,
    });
    if (retry >= MAX_PLATFORM_RETRIES) {
      // TODO(issue 4): a durable retry queue and dead letters replace this final log line.
      const reason = `gave up after the ${MAX_PLATFORM_RETRIES} retries Forge allows; the change was not delivered`;
      log.error('Not delivered', { error: error.message, attempts: retry + 1, reason });
      return { outcome: 'failed', reason: `${reason} (last: ${error.message})` };
    }

    log.warn('Will retry', { error: error.message, retry, retryAfter });
    return retryLater(retryAfter, error.rateLimited, context.claimToken);
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

function retryLater(retryAfter: number, rateLimited: boolean, claimToken: string) {
  return new InvocationError({
    retryAfter,
    retryReason: rateLimited
      ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED
      : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    retryData: { claimToken },
  });
}
