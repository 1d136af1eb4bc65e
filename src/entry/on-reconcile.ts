/** The hourly scheduled trigger: reconciliation. */
export async function onReconcile(event: unknown, context: unknown): Promise<unknown> {
  void event;
  void context;
  return { outcome: 'skipped', reason: 'not built yet' };
}
