import type { JiraEvent } from '../core/jira-event';

/** The event as kept for later attempts: Forge's retry bookkeeping is not part of it. */
export function storable(event: JiraEvent): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event };
  delete copy.retryContext;
  return copy;
}
