import type { QueueMessage } from './queue-message';

/**
 * The app's one queue (`tasksource-deliveries`), as the use cases see it. The Forge adapter
 * (`src/adapters/delivery-queue.ts`) splits a push into calls of at most 50 messages.
 */
export interface DeliveryQueue {
  push(
    messages: readonly QueueMessage[],
    options?: { readonly delayInSeconds?: number },
  ): Promise<void>;
}
