import { randomUUID } from 'node:crypto';

import type { EmulatedClock } from './clock';
import type { NoticeListener } from './platform-notice';
import { readRetryRequest } from './retry-request';
import type { Concurrency, Scheduler } from './scheduler';

/**
 * The async events queue (`@forge/events` `Queue.push`, FORGE.md §5, §6). A push is checked as
 * Forge checks it, then each event is put on the scheduler's agenda, due `delayInSeconds`
 * later. When due, the queue's consumer is called with `(event, context)`. A consumer that
 * returns an `InvocationError` or throws is called again (after its `retryAfter`, else after a
 * backoff of up to 15 minutes) with a `retryContext`, until the event's retention window of 24
 * hours from its first push has passed; then the event is dropped.
 */

export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_PUSH_BYTES = 200 * 1024;
export const MAX_DELAY_SECONDS = 900;
export const RETENTION_WINDOW_MS = 24 * 3_600_000;
const BACKOFF_BASE_SECONDS = 60;
const BACKOFF_CAP_SECONDS = 900;

/** A consumer, bound to its function's invocation context by the platform. */
export type BoundConsumer = (event: Record<string, unknown>) => Promise<unknown>;

export interface QueuedEvent {
  readonly queueName: string;
  readonly jobId: string;
  readonly eventId: string;
  readonly body: Record<string, unknown>;
  readonly delayInSeconds?: number | undefined;
  readonly concurrency?: Concurrency | undefined;
  /** Emulated epoch milliseconds of the push. */
  readonly pushedAt: number;
}

interface Retry {
  readonly retryCount: number;
  readonly retryReason: string;
  readonly retryData: unknown;
}

export interface LocalQueueDeps {
  readonly clock: EmulatedClock;
  readonly scheduler: Scheduler;
  readonly notify: NoticeListener;
  readonly consumerFor: (queueName: string) => BoundConsumer | undefined;
}

type Answer = { status: number; body: unknown };

export class LocalQueue {
  /** Every event ever pushed, in push order. */
  readonly pushed: QueuedEvent[] = [];

  constructor(private readonly deps: LocalQueueDeps) {}

  /** The `POST /webhook/queue/publish/…` endpoint `Queue.push` calls. */
  publish(request: unknown): Answer {
    const { queueName, jobId, payload } = (request ?? {}) as Record<string, unknown>;
    const refusal = checkPush(queueName, payload);
    if (refusal) return refusal;

    const pushedAt = this.deps.clock.now();
    for (const raw of payload as Record<string, unknown>[]) {
      const event: QueuedEvent = {
        queueName: queueName as string,
        jobId: typeof jobId === 'string' ? jobId : randomUUID(),
        eventId: randomUUID(),
        body: raw.body as Record<string, unknown>,
        delayInSeconds: raw.delayInSeconds as number | undefined,
        concurrency: raw.concurrency as Concurrency | undefined,
        pushedAt,
      };
      this.pushed.push(event);
      this.schedule(event, pushedAt + (event.delayInSeconds ?? 0) * 1000, undefined);
    }
    return { status: 201, body: {} };
  }

  private schedule(event: QueuedEvent, dueAt: number, retry: Retry | undefined): void {
    this.deps.scheduler.schedule({
      dueAt,
      label: `queue ${event.queueName}`,
      concurrency: event.concurrency,
      run: () => this.deliver(event, retry),
    });
  }

  private async deliver(event: QueuedEvent, retry: Retry | undefined): Promise<void> {
    const { clock, notify } = this.deps;
    const consumer = this.deps.consumerFor(event.queueName);
    const base = { queueName: event.queueName, body: event.body };
    const retryCount = retry?.retryCount ?? 0;
    if (!consumer) {
      const reason = `no consumer in manifest.yml reads queue ${event.queueName}`;
      return notify({ kind: 'queue-dropped', at: clock.now(), ...base, retryCount, reason });
    }

    let result: unknown;
    try {
      result = await consumer(this.asyncEvent(event, retry));
    } catch (error) {
      notify({ kind: 'queue-threw', at: clock.now(), ...base, retryCount, error });
      return this.retry(event, retryCount, {
        retryAfter: undefined,
        retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR',
        retryData: undefined,
      });
    }

    notify({ kind: 'queue-result', at: clock.now(), ...base, retryCount, result });
    const request = readRetryRequest(result);
    if (request) this.retry(event, retryCount, request);
  }

  /** The event as a consumer receives it (`AsyncEvent` in `@forge/events`). */
  private asyncEvent(event: QueuedEvent, retry: Retry | undefined): Record<string, unknown> {
    const { queueName, jobId, eventId, body, delayInSeconds, concurrency } = event;
    const windowEnd = event.pushedAt + RETENTION_WINDOW_MS;
    return {
      body,
      queueName,
      jobId,
      eventId,
      ...(delayInSeconds === undefined ? {} : { delayInSeconds }),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(retry
        ? {
            retryContext: {
              ...retry,
              retentionWindow: {
                startTime: new Date(event.pushedAt).toISOString(),
                remainingTimeMs: Math.max(0, windowEnd - this.deps.clock.now()),
              },
            },
          }
        : {}),
    };
  }

  private retry(
    event: QueuedEvent,
    retryCount: number,
    request: { retryAfter: number | undefined; retryReason: string; retryData: unknown },
  ): void {
    const { clock, notify } = this.deps;
    const next = retryCount + 1;
    const retryAfter = request.retryAfter ?? backoffSeconds(next);
    const dueAt = clock.now() + retryAfter * 1000;
    const base = { at: clock.now(), queueName: event.queueName, body: event.body };

    if (dueAt > event.pushedAt + RETENTION_WINDOW_MS) {
      const reason = `its 24-hour retention window ended after ${retryCount} retries`;
      return notify({ kind: 'queue-dropped', ...base, retryCount, reason });
    }
    notify({ kind: 'queue-retry', ...base, retryCount: next, retryAfter });
    this.schedule(event, dueAt, {
      retryCount: next,
      retryReason: request.retryReason,
      retryData: request.retryData,
    });
  }
}

/** Forge's backoff is not documented beyond "up to about 15 minutes"; this one doubles. */
export function backoffSeconds(retryCount: number): number {
  return Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, retryCount - 1));
}

/** What Forge refuses in a push, answered so the real `Queue.push` throws. */
function checkPush(queueName: unknown, payload: unknown): Answer | undefined {
  if (typeof queueName !== 'string' || !/^[a-zA-Z0-9-_]+$/.test(queueName)) {
    return refuse(400, 'INVALID_QUEUE_NAME', `Expected a queue name, got ${String(queueName)}`);
  }
  if (!Array.isArray(payload) || payload.length === 0) {
    return refuse(400, 'NO_EVENTS', 'Expected at least one event to push');
  }
  if (payload.length > MAX_EVENTS_PER_PUSH) {
    const message = `Expected at most ${MAX_EVENTS_PER_PUSH} events per push, got ${payload.length}`;
    return refuse(400, 'TOO_MANY_EVENTS', message);
  }

  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes > MAX_PUSH_BYTES) {
    const errorMessage = `Expected at most 200 KB of events per push, got ${Math.ceil(bytes / 1024)} KB`;
    return { status: 413, body: { errorMessage } };
  }

  for (const [index, event] of payload.entries()) {
    const refusal = checkEvent(event, index);
    if (refusal) return refusal;
  }
  return undefined;
}

function checkEvent(event: unknown, index: number): Answer | undefined {
  const { body, delayInSeconds, concurrency } = (event ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse(400, 'INVALID_PAYLOAD', `Event ${index}: expected an object as body`);
  }
  if (
    delayInSeconds !== undefined &&
    (typeof delayInSeconds !== 'number' || delayInSeconds < 0 || delayInSeconds > MAX_DELAY_SECONDS)
  ) {
    const message = `Event ${index}: expected delayInSeconds from 0 to ${MAX_DELAY_SECONDS}, got ${String(delayInSeconds)}`;
    return refuse(400, 'INVALID_PUSH_SETTINGS', message);
  }

  const { key, limit } = (concurrency ?? {}) as Record<string, unknown>;
  if (
    concurrency !== undefined &&
    (typeof key !== 'string' || key === '' || !Number.isInteger(limit) || (limit as number) < 1)
  ) {
    const message = `Event ${index}: expected concurrency {key, limit} with a positive integer limit`;
    return refuse(400, 'INVALID_PUSH_SETTINGS', message);
  }
  return undefined;
}

function refuse(status: number, code: string, message: string): Answer {
  return { status, body: { code, message } };
}
