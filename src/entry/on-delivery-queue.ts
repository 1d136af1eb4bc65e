/** The queue consumer: Forge calls this for every event on `tasksource-deliveries`. */
export async function onDeliveryQueue(event: unknown, context: unknown): Promise<unknown> {
  void event;
  void context;
  return { outcome: 'skipped', reason: 'not built yet' };
}
