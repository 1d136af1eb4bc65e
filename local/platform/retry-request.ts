import { MAX_RETRY_AFTER_SECONDS } from '../../src/core/retry-policy';

/**
 * A function's request to be called again, read from what it returned: an `InvocationError`
 * from `@forge/events` serialises to `{_retry: true, retryOptions: {retryAfter, retryReason,
 * retryData}}`. Forge caps `retryAfter` at 900 s (FORGE.md §5).
 */

export interface RetryRequest {
  /** Seconds; undefined when the function left the delay to the platform. */
  readonly retryAfter: number | undefined;
  readonly retryReason: string;
  readonly retryData: unknown;
}

export function readRetryRequest(result: unknown): RetryRequest | undefined {
  const outcome = (typeof result === 'object' && result !== null ? result : {}) as {
    _retry?: unknown;
    retryOptions?: { retryAfter?: unknown; retryReason?: unknown; retryData?: unknown };
  };
  if (outcome._retry !== true) return undefined;

  const options = outcome.retryOptions ?? {};
  const after = typeof options.retryAfter === 'number' ? options.retryAfter : undefined;
  return {
    retryAfter: after === undefined ? undefined : Math.min(MAX_RETRY_AFTER_SECONDS, after),
    retryReason: String(options.retryReason ?? 'FUNCTION_RETRY_REQUEST'),
    retryData: options.retryData,
  };
}
