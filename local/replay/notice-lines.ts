import { MAX_TRIGGER_RETRIES } from '../platform/product-triggers';
import type { PlatformNotice } from '../platform/platform-notice';
import type { ReplayLine } from './replay-line';

/**
 * What the platform reported, as replay lines: events its trigger filter dropped (`filtered`)
 * or could not judge (`filter-error`), trigger and consumer outcomes (`skip`, `error`,
 * `queue`), retries, scheduled runs, dead letters and invocations that ran over their limit.
 */

const DEAD_LETTER_FIELDS = [
  'deliveryId',
  'issueId',
  'issueKey',
  'reason',
  'detail',
  'status',
  'attempts',
] as const;

export function noticeLines(notice: PlatformNotice): ReplayLine[] {
  const at = iso(notice.at);

  switch (notice.kind) {
    case 'trigger-filtered': {
      const { projectId, reason, detail } = notice;
      return [{ type: 'filtered', at, ...describe(notice.event), projectId, reason, detail }];
    }
    case 'trigger-filter-failed': {
      const { projectId, onError } = notice;
      const detail = `the trigger filter expression failed, and onError ${onError} delivers the event: ${notice.error}`;
      return [{ type: 'filter-error', at, ...describe(notice.event), projectId, detail }];
    }
    case 'trigger-result':
      return outcomeLines(notice.result, { at, ...describe(notice.event) });
    case 'trigger-threw':
      return [{ type: 'error', at, ...describe(notice.event), message: messageOf(notice.error) }];
    case 'trigger-retry': {
      const { retryCount, retryAfter } = notice;
      return [{ type: 'retry', at, ...describe(notice.event), retryCount, retryAfter }];
    }
    case 'trigger-gave-up': {
      const message = `gave up after the ${MAX_TRIGGER_RETRIES} retries Forge allows; the change was not delivered`;
      return [{ type: 'error', at, ...describe(notice.event), message }];
    }
    case 'queue-result':
      return queueResultLines(notice, at);
    case 'queue-threw': {
      const message = `the consumer threw, Forge retries it: ${messageOf(notice.error)}`;
      return [{ type: 'error', at, ...queueSubject(notice), message }];
    }
    case 'queue-retry': {
      const { retryCount, retryAfter } = notice;
      return [{ type: 'retry', at, ...queueSubject(notice), retryCount, retryAfter }];
    }
    case 'queue-dropped': {
      const message = `queue event dropped: ${notice.reason}`;
      return [{ type: 'error', at, ...queueSubject(notice), message }];
    }
    case 'scheduled-result':
      return [{ type: 'scheduled', key: notice.moduleKey, at, outcome: jsonSafe(notice.result) }];
    case 'scheduled-threw': {
      const message = `${notice.moduleKey} threw, and Forge does not retry it: ${messageOf(notice.error)}`;
      return [
        { type: 'scheduled', key: notice.moduleKey, at, outcome: null },
        { type: 'error', at, eventType: null, issueId: null, message },
      ];
    }
    case 'overrun':
      return [overrunLine(notice.record, at)];
    case 'dead-letter':
      return [deadLetterLine(notice.key, notice.value, at)];
  }
}

type Subject = { at: string; eventType: string | null; issueId: string | null; queue?: string };

/** A trigger's or consumer's result object: `skipped` and `failed` outcomes become lines. */
function outcomeLines(result: unknown, subject: Subject): ReplayLine[] {
  const outcome = (typeof result === 'object' && result !== null ? result : {}) as Record<
    string,
    unknown
  >;
  if (outcome.outcome === 'skipped') {
    const [reason, detail] = [String(outcome.reason), String(outcome.detail ?? '')];
    return [{ type: 'skip', ...subject, reason, detail }];
  }
  if (outcome.outcome === 'failed') {
    return [{ type: 'error', ...subject, message: String(outcome.reason) }];
  }
  if (outcome.outcome === 'queued') return [queuedLine(outcome, subject)];
  return [];
}

function queuedLine(outcome: Record<string, unknown>, subject: Subject): ReplayLine {
  return {
    type: 'queued',
    ...subject,
    issueId: typeof outcome.issueId === 'string' ? outcome.issueId : subject.issueId,
    deliveryId: typeof outcome.deliveryId === 'string' ? outcome.deliveryId : null,
    sequence: typeof outcome.sequence === 'number' ? outcome.sequence : null,
    attempts: Number(outcome.attempts ?? 0),
    retryAt: String(outcome.retryAt ?? ''),
    detail: String(outcome.detail ?? ''),
  };
}

function queueResultLines(
  notice: Extract<PlatformNotice, { kind: 'queue-result' }>,
  at: string,
): ReplayLine[] {
  const result = notice.result as { outcome?: unknown } | null | undefined;
  if (typeof result !== 'object' || result === null || result.outcome === undefined) return [];

  const subject = { at, ...queueSubject(notice) };
  // Working through an issue's pending changes: one line per attempt it made, if any.
  const attempts = (result as { attempts?: unknown }).attempts;
  if (Array.isArray(attempts)) return attempts.flatMap((attempt) => outcomeLines(attempt, subject));

  const reported = outcomeLines(result, subject);
  if (reported.length > 0) return reported;
  // A delivery or a dead letter has its own line already.
  if (result.outcome === 'delivered' || result.outcome === 'dead-letter') return [];

  return [
    {
      type: 'queue',
      at,
      queue: notice.queueName,
      issueId: subject.issueId,
      retryCount: notice.retryCount,
      outcome: String(result.outcome),
    },
  ];
}

/** The issue a queue body is about: `issueId`, or that of the Jira event it carries. */
function queueSubject(notice: { queueName: string; body: unknown }): Omit<Subject, 'at'> {
  const body = (notice.body ?? {}) as { issueId?: unknown; event?: unknown };
  const fromEvent = describe(body.event);
  const issueId = typeof body.issueId === 'string' ? body.issueId : fromEvent.issueId;
  return { eventType: fromEvent.eventType, issueId, queue: notice.queueName };
}

function overrunLine(
  record: { functionKey: string; ms: number; limitMs: number },
  at: string,
): ReplayLine {
  const { functionKey, ms, limitMs } = record;
  const message = `${functionKey} ran ${ms} ms, over its limit of ${limitMs} ms; Forge would have stopped it`;
  return { type: 'error', at, eventType: null, issueId: null, functionKey, message };
}

function deadLetterLine(key: string, value: unknown, at: string): ReplayLine {
  const stored = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const fields = DEAD_LETTER_FIELDS.filter((field) => stored[field] !== undefined).map(
    (field) => [field, stored[field]] as const,
  );
  return { type: 'deadletter', at, key, ...Object.fromEntries(fields) };
}

export function describe(event: unknown): { eventType: string | null; issueId: string | null } {
  const record = (typeof event === 'object' && event !== null ? event : {}) as Record<
    string,
    unknown
  >;
  const issue = (
    typeof record.issue === 'object' && record.issue !== null ? record.issue : {}
  ) as Record<string, unknown>;
  const id = issue.id;
  return {
    eventType: typeof record.eventType === 'string' ? record.eventType : null,
    issueId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
  };
}

export function iso(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a handler returned, as JSON would carry it (`undefined` becomes null). */
function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
  } catch {
    return String(value);
  }
}
