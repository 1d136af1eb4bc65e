import { fetch } from '@forge/api';

import { RetriableError } from '../core/errors';
import type { TasksourceSender } from '../forwarding/ports';
import { timeLeftMs } from './app-runtime';

/**
 * POSTs one delivery. Redirects are not followed (a moved endpoint is a failure to fix, not to
 * chase); a network error or a timeout is worth a retry. An attempt waits at most 10 s, and
 * never so long that the invocation has no time left to record what happened (the KVS write
 * after it, or the retry it asks Forge for).
 */

export const DELIVERY_TIMEOUT_MS = 10_000;
const RESERVED_MS = 3_000;
const SHORTEST_MS = 1_000;

export function attemptTimeoutMs(remainingMs: number | undefined): number {
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return DELIVERY_TIMEOUT_MS;
  return Math.max(SHORTEST_MS, Math.min(DELIVERY_TIMEOUT_MS, remainingMs - RESERVED_MS));
}

export function createTasksourceHttpSender(): TasksourceSender {
  return {
    async send(url, request) {
      // A timer cleared as soon as the answer is in: `AbortSignal.timeout` would keep one
      // pending for the whole timeout after every delivery, and costs more to set up.
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException('The attempt timed out', 'TimeoutError')),
        attemptTimeoutMs(timeLeftMs()),
      );
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: controller.signal,
        });
        await response.arrayBuffer().catch(() => undefined);
        return { status: response.status, header: (name: string) => response.headers.get(name) };
      } catch (error) {
        const timedOut = controller.signal.aborted;
        throw new RetriableError(
          `[delivery] The request to tasksource ${timedOut ? 'timed out' : 'failed'}`,
          { cause: error },
        );
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
