import { ForgeKvsAPIError } from '@forge/kvs';

import { RetriableError } from '../core/errors';

/**
 * KVS answers 429 `RATE_LIMIT_EXCEEDED` past the per-installation rate and 5xx on bad days;
 * both are worth a retry, as is a request that got no answer at all. A short burst is waited
 * out here (twice, 100 ms then 400 ms): handing it to Forge instead would retry the whole
 * invocation minutes later, and an event retried that late can arrive after newer ones. Past
 * that it is a `RetriableError`. Anything else is a bug or a bad value and is re-thrown as is.
 */
const PAUSES_MS = [100, 400];

export async function withKvsRetries<T>(what: string, operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const retriable = asRetriable(what, error);
      const pause = PAUSES_MS[attempt];
      if (!retriable) throw error;
      if (pause === undefined) throw retriable;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function asRetriable(what: string, error: unknown): RetriableError | undefined {
  if (error instanceof ForgeKvsAPIError) {
    const status = error.responseDetails.status;
    if (status === 429 || status >= 500) {
      return new RetriableError(`[kvs] ${what} answered ${status} (${error.code})`, {
        cause: error,
        rateLimited: status === 429,
      });
    }
  }
  // fetch reports a request that never got an answer (network, reset) as a TypeError.
  if (error instanceof TypeError && /fetch failed|network/i.test(error.message)) {
    return new RetriableError(`[kvs] ${what} failed before KVS answered`, { cause: error });
  }
  return undefined;
}

/** A `FAIL_IF_EXISTS` write on a key that exists (inferred: 409 or a code naming the key). */
export function isKeyExistsError(error: unknown): boolean {
  if (!(error instanceof ForgeKvsAPIError)) return false;

  return error.responseDetails.status === 409 || /EXISTS/i.test(error.code);
}
