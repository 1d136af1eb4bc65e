import { adfToText } from '../core/adf-to-text';
import type { JiraEvent } from '../core/jira-event';
import { isCommentEvent } from '../core/jira-event';

/**
 * The event as kept for later attempts: Forge's retry bookkeeping is not part of it, and a
 * comment's body is kept as text. Later attempts read a comment from Jira again; only a deleted
 * comment's text comes from the event, and it is sent as text anyway. An ADF body can nest
 * deeper than KVS stores (31 levels, FORGE.md §8); its text cannot.
 */
export function storable(event: JiraEvent): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event };
  delete copy.retryContext;
  if (!isCommentEvent(event) || event.comment.body === undefined) return copy;

  return { ...copy, comment: { ...event.comment, body: adfToText(event.comment.body) } };
}
