import { ForgeKvsAPIError } from '@forge/kvs';

import { RetriableError } from '../core/errors';

/**
 * KVS answers 429 `RATE_LIMIT_EXCEEDED` past the per-installation rate and 5xx on bad days;
 * both are worth a retry, as is a request that got no answer at all. Everything else is a bug or a bad value and is re-thrown as is.
 */
export async function withKvsRetries<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ForgeKvsAPIError) {
      const status = error.responseDetails.status;
      if (status === 429 || status >= 500) {
        throw new RetriableError(`[kvs] ${what} answered ${status} (${error.code})`, {
          cause: error,
          rateLimited: status === 429,
        });
      }
    }
    // fetch reports a request that never got an answer (network, reset) as a TypeError.
    if (error instanceof TypeError && /fetch failed|network/i.test(error.message)) {
      throw new RetriableError(`[kvs] ${what} failed before KVS answered`, { cause: error });
    }
    throw error;
  }
}

/** A `FAIL_IF_EXISTS` write on a key that exists (inferred: 409 or a code naming the key). */
export function isKeyExistsError(error: unknown): boolean {
  if (!(error instanceof ForgeKvsAPIError)) return false;

  return error.responseDetails.status === 409 || /EXISTS/i.test(error.code);
}
