import type { APIResponse } from '@forge/api';

import { RetriableError } from '../core/errors';
import { isRetriableStatus, requestedDelaySeconds } from '../core/retry-policy';

/** Shared answers to Jira's failures: 429 and 5xx (and no answer at all) are worth a retry. */

export async function callJira(
  what: string,
  request: () => Promise<APIResponse>,
): Promise<APIResponse> {
  let response: APIResponse;
  try {
    response = await request();
  } catch (error) {
    throw new RetriableError(`[jira] ${what} failed before Jira answered`, { cause: error });
  }

  if (isRetriableStatus(response.status)) {
    throw new RetriableError(`[jira] ${what} answered ${response.status}`, {
      retryAfterSeconds: requestedDelaySeconds((name) => response.headers.get(name), Date.now()),
      rateLimited: response.status === 429,
    });
  }
  return response;
}

export async function jsonOf(response: APIResponse): Promise<unknown> {
  return response.json().catch(() => undefined);
}
