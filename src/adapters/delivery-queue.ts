import { InternalServerError, PartialSuccessError, Queue, RateLimitError } from '@forge/events';

import type { DeliveryQueue } from '../core/delivery-queue';
import { RetriableError } from '../core/errors';
import type { QueueMessage } from '../core/queue-message';
import { DELIVERY_QUEUE } from '../core/queue-message';

export type { DeliveryQueue } from '../core/delivery-queue';

/**
 * Pushes messages onto `tasksource-deliveries` with `@forge/events`: at most 50 events per
 * call (FORGE.md §6). Work for one issue carries the concurrency key `issue-<id>` with limit 1,
 * so Forge never runs two consumers for one issue at once. A push the platform refused is worth
 * a retry: it answers 400 for a minute or two after a deploy, 429 past 500 events a minute, 202
 * when only some got in (a retry may queue those twice; the consumer dedupes). A message too
 * big or malformed is a bug and is re-thrown as it is.
 */

const MAX_EVENTS_PER_PUSH = 50;
const MAX_DELAY_SECONDS = 900;

export function createDeliveryQueue(): DeliveryQueue {
  const queue = new Queue({ key: DELIVERY_QUEUE });

  return {
    async push(messages, options = {}) {
      const delay = Math.max(
        0,
        Math.min(MAX_DELAY_SECONDS, Math.ceil(options.delayInSeconds ?? 0)),
      );
      for (let start = 0; start < messages.length; start += MAX_EVENTS_PER_PUSH) {
        const events = messages.slice(start, start + MAX_EVENTS_PER_PUSH).map((message) => ({
          body: message as Record<string, unknown>,
          ...(delay > 0 ? { delayInSeconds: delay } : {}),
          ...concurrencyOf(message),
        }));
        await pushOnce(queue, events);
      }
    },
  };
}

/** One consumer at a time per issue: that is what keeps an issue's changes in order. */
function concurrencyOf(message: QueueMessage): { concurrency?: { key: string; limit: number } } {
  const issueId = message.type === 'issue' ? message.issueId : issueOfEvent(message);
  return issueId ? { concurrency: { key: `issue-${issueId}`, limit: 1 } } : {};
}

function issueOfEvent(message: QueueMessage): string | undefined {
  if (message.type !== 'event') return undefined;

  const id = (message.event.issue as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

async function pushOnce(queue: Queue, events: Parameters<Queue['push']>[0]): Promise<void> {
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
