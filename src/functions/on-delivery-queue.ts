/**
 * Function `on-delivery-queue` (consumer `tasksource-delivery-consumer`, queue
 * `tasksource-deliveries`): delivery retries, waiting events and reconciliation continuations.
 */
export { onDeliveryQueue } from '../entry/on-delivery-queue';
