import { InternalServerError, PartialSuccessError, Queue, RateLimitError } from '@forge/events';

import type { DeliveryQueue } from '../core/delivery-queue';
import { RetriableError } from '../core/errors';
import { DELIVERY_QUEUE } from '../core/queue-message';

export type { DeliveryQueue } from '../core/delivery-queue';

/**
 * Pushes messages onto `tasksource-deliveries` with `@forge/events`: at most 50 events per
 * call (FORGE.md §6). A push the platform refused is worth a retry: it answers 400 for a
 * minute or two after a deploy, 429 past 500 events a minute, 202 when only some got in (a
 * retry may queue those twice; the consumer dedupes). A message too big or malformed is a bug
 * and is re-thrown as it is.
 */

const MAX_EVENTS_PER_PUSH = 50;

export function createDeliveryQueue(): DeliveryQueue {
  const queue = new Queue({ key: DELIVERY_QUEUE });

  return {
    async push(messages, options = {}) {
      for (let start = 0; start < messages.length; start += MAX_EVENTS_PER_PUSH) {
        const events = messages.slice(start, start + MAX_EVENTS_PER_PUSH).map((body) => ({
          body: body as Record<string, unknown>,
          ...(options.delayInSeconds ? { delayInSeconds: options.delayInSeconds } : {}),
        }));
        await pushOnce(queue, events);
      }
    },
  };
}

async function pushOnce(
  queue: Queue,
  events: { body: Record<string, unknown>; delayInSeconds?: number }[],
): Promise<void> {
  try {
    await queue.push(events);
  } catch (error) {
    if (isRetriable(error)) {
      throw new RetriableError(`[queue] Pushing to ${DELIVERY_QUEUE} failed: ${error.message}`, {
        cause: error,
        rateLimited: error instanceof RateLimitError,
      });
    }
    throw error;
  }
}

function isRetriable(error: unknown): error is Error {
  return (
    error instanceof RateLimitError ||
    error instanceof InternalServerError ||
    error instanceof PartialSuccessError ||
    // fetch reports a request that never got an answer as a TypeError.
    error instanceof TypeError
  );
}
