import { fetch } from '@forge/api';

import { RetriableError } from '../core/errors';
import type { TasksourceSender } from '../forwarding/ports';

/**
 * POSTs one delivery. Redirects are not followed (a moved endpoint is a failure to fix, not to
 * chase); a network error or a timeout is worth a retry. 10 s leaves the 25 s trigger budget
 * room for the Jira read before and the KVS write after.
 */

export const DELIVERY_TIMEOUT_MS = 10_000;

export function createTasksourceHttpSender(): TasksourceSender {
  return {
    async send(url, request) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        return { status: response.status, header: (name: string) => response.headers.get(name) };
      } catch (error) {
        const reason =
          error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
        throw new RetriableError(`[delivery] The request to tasksource ${reason}`, {
          cause: error,
        });
      }
    },
  };
}
