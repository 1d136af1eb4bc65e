/**
 * When to try again, as data. Forge lets a trigger ask for at most 4 retries, each at most
 * 900 s later, by returning an `InvocationError` (FORGE.md §5). Retrying a POST is safe only
 * because every attempt carries the same delivery id.
 */

export const MAX_RETRY_AFTER_SECONDS = 900;
export const MAX_PLATFORM_RETRIES = 4;

/**
 * How long the app keeps retrying one change before it becomes a dead letter. Each retry is a
 * fresh queue event, so Forge's 24-hour retention window applies to one wait (at most 900 s),
 * not to the whole chain: the chain is bounded by this, and comfortably outlasts a day-long
 * tasksource outage.
 */
export const RETRY_FOR_HOURS = 72;

export function retryWindowClosed(firstAttemptAt: number, nowMillis: number): boolean {
  return nowMillis - firstAttemptAt >= RETRY_FOR_HOURS * 3_600_000;
}
const BASE_DELAY_SECONDS = 30;

/**
 * Statuses worth retrying, for tasksource and Jira alike: 408 (request timeout), 429 (rate
 * limited) and every 5xx. Other 4xx mean the request itself is wrong and will stay wrong.
 */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Seconds to wait before the next attempt: what the server asked for, capped at Forge's limit;
 * otherwise exponential backoff with full jitter (30 s, 60 s, 120 s … times a random share).
 */
export function retryDelaySeconds(input: {
  retryCount: number;
  requestedSeconds: number | undefined;
  random: () => number;
}): number {
  const { retryCount, requestedSeconds, random } = input;
  if (requestedSeconds !== undefined) {
    return clamp(Math.ceil(requestedSeconds), 1, MAX_RETRY_AFTER_SECONDS);
  }

  const ceiling = Math.min(MAX_RETRY_AFTER_SECONDS, BASE_DELAY_SECONDS * 2 ** retryCount);
  return clamp(Math.ceil(random() * ceiling), 1, MAX_RETRY_AFTER_SECONDS);
}

/**
 * `Retry-After` (seconds or an HTTP date) first, then `X-RateLimit-Reset` (Jira: an ISO date;
 * others: epoch seconds). Undefined when neither says anything usable.
 */
export function requestedDelaySeconds(
  header: (name: string) => string | null,
  nowMillis: number,
): number | undefined {
  const retryAfter = header('retry-after')?.trim();
  if (retryAfter) {
    if (/^[0-9]+(\.[0-9]+)?$/.test(retryAfter)) return Number(retryAfter);

    // An HTTP date names its weekday and month; anything else is not a date we trust.
    const at = /[A-Za-z]/.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
    if (Number.isFinite(at)) return Math.max(0, (at - nowMillis) / 1000);
  }

  const reset = header('x-ratelimit-reset')?.trim();
  if (!reset) return undefined;

  const at = /^[0-9]+$/.test(reset) ? Number(reset) * 1000 : Date.parse(reset);
  return Number.isFinite(at) ? Math.max(0, (at - nowMillis) / 1000) : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
