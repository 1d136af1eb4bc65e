/** Forge's `retryContext.retryCount` on a redelivered event; 0 on the first delivery. */
export function retryCountOf(event: unknown): number {
  const retryContext = (event as { retryContext?: { retryCount?: unknown } } | null)?.retryContext;
  return typeof retryContext?.retryCount === 'number' ? retryContext.retryCount : 0;
}
