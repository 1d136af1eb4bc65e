import { Queue } from '@forge/events';

import { RetriableError } from '../core/errors';
import { DELIVERY_QUEUE } from '../core/queue-message';
import type { DeliveryQueue, QueuedMessage } from '../forwarding/ports';

/**
 * Pushes onto `tasksource-deliveries`. Work for one issue carries the concurrency key
 * `issue-<id>` with limit 1, so Forge never runs two consumers for one issue at once. Forge
 * takes at most 50 events a push; a refused push (also seen for a minute or two after a deploy)
 * is worth retrying.
 */

const MAX_PER_PUSH = 50;

export function createDeliveryQueue(): DeliveryQueue {
  const queue = new Queue({ key: DELIVERY_QUEUE });

  return {
    async push(messages: readonly QueuedMessage[]) {
      for (let start = 0; start < messages.length; start += MAX_PER_PUSH) {
        const events = messages.slice(start, start + MAX_PER_PUSH).map(toPushEvent);
        try {
          await queue.push(events);
        } catch (error) {
          throw new RetriableError('[queue] The delivery queue refused the push', { cause: error });
        }
      }
    },
  };
}

function toPushEvent({ message, delaySeconds }: QueuedMessage) {
  const issueId = message.type === 'issue' ? message.issueId : issueOf(message);
  return {
    body: message,
    delayInSeconds: Math.max(0, Math.min(900, Math.ceil(delaySeconds))),
    ...(issueId ? { concurrency: { key: `issue-${issueId}`, limit: 1 } } : {}),
  };
}

function issueOf(message: QueuedMessage['message']): string | undefined {
  if (message.type !== 'event') return undefined;

  const issue = message.event.issue as { id?: unknown } | undefined;
  return typeof issue?.id === 'string' || typeof issue?.id === 'number'
    ? String(issue.id)
    : undefined;
}
