import type { CompiledExpression } from './jira-expression';
import { compileExpression, ExpressionEvaluationError } from './jira-expression';

/**
 * A trigger's `filter` from `manifest.yml`, applied before the trigger is invoked, as Forge
 * does (FORGE.md §4): `ignoreSelf` drops events the app caused; `expression` must give `true`
 * for the event to be delivered; when it cannot be evaluated, `onError` decides: the `RECEIVE`
 * values deliver, the `IGNORE` values drop (`IGNORE_AND_LOG` is Forge's default). `_AND_LOG`
 * says whether Forge would publish an app log line; the local platform reports every decision.
 */

export const ON_ERROR_VALUES = ['IGNORE_AND_LOG', 'IGNORE', 'RECEIVE_AND_LOG', 'RECEIVE'] as const;
export type OnError = (typeof ON_ERROR_VALUES)[number];

export interface TriggerFilter {
  readonly ignoreSelf: boolean;
  readonly expression: CompiledExpression | undefined;
  readonly onError: OnError;
}

export type DropReason = 'self-generated' | 'expression-false' | 'expression-error';

export type FilterDecision =
  | { readonly deliver: true }
  /** The expression failed and `onError` delivers the event anyway. */
  | {
      readonly deliver: true;
      readonly error: string;
      readonly onError: OnError;
      readonly logged: boolean;
    }
  | {
      readonly deliver: false;
      readonly reason: DropReason;
      readonly detail: string;
      readonly logged: boolean;
    };

/** The manifest's `filter` block, checked and compiled; undefined when the trigger has none. */
export function compileTriggerFilter(raw: unknown, moduleKey: string): TriggerFilter | undefined {
  if (raw === undefined) return undefined;
  const where = `[manifest] ${moduleKey}: filter`;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where} must be an object`);

  const { ignoreSelf, expression, onError } = raw as Record<string, unknown>;
  if (ignoreSelf !== undefined && typeof ignoreSelf !== 'boolean') {
    throw new Error(`${where}.ignoreSelf must be true or false`);
  }
  if (expression !== undefined && typeof expression !== 'string') {
    throw new Error(`${where}.expression must be a string`);
  }
  if (onError !== undefined && !ON_ERROR_VALUES.includes(onError as OnError)) {
    throw new Error(`${where}.onError must be one of ${ON_ERROR_VALUES.join(', ')}`);
  }

  return {
    ignoreSelf: ignoreSelf === true,
    expression: expression === undefined ? undefined : compileExpression(expression),
    onError: (onError as OnError | undefined) ?? 'IGNORE_AND_LOG',
  };
}

/** Whether the platform invokes the trigger for `event`; `runtime` is `event.runtime`. */
export function applyTriggerFilter(
  filter: TriggerFilter | undefined,
  event: unknown,
  runtime: Record<string, unknown>,
): FilterDecision {
  if (!filter) return { deliver: true };

  if (filter.ignoreSelf && (event as { selfGenerated?: unknown } | null)?.selfGenerated === true) {
    const detail = 'filtered by the platform: the app caused this change itself (ignoreSelf)';
    return { deliver: false, reason: 'self-generated', detail, logged: false };
  }
  if (!filter.expression) return { deliver: true };

  return applyExpression(filter, filter.expression, event, runtime);
}

function applyExpression(
  filter: TriggerFilter,
  expression: CompiledExpression,
  event: unknown,
  runtime: Record<string, unknown>,
): FilterDecision {
  const seen = typeof event === 'object' && event !== null ? { ...event, runtime } : event;
  let result: boolean;
  try {
    result = expression.evaluate({ event: seen });
  } catch (error) {
    if (!(error instanceof ExpressionEvaluationError)) throw error;
    return onEvaluationError(filter.onError, error.message);
  }

  if (result) return { deliver: true };
  return {
    deliver: false,
    reason: 'expression-false',
    detail: 'filtered by the platform: the trigger filter expression is false for this event',
    logged: false,
  };
}

function onEvaluationError(onError: OnError, message: string): FilterDecision {
  const logged = onError.endsWith('_AND_LOG');
  if (onError.startsWith('RECEIVE')) return { deliver: true, error: message, onError, logged };

  const detail = `filtered by the platform: the trigger filter expression failed and onError is ${onError}: ${message}`;
  return { deliver: false, reason: 'expression-error', detail, logged };
}
