import type * as z from 'zod';

import { UnreadableSettingsError } from '../adapters/kvs-settings-store';
import { RetriableError, ValidationError } from '../core/errors';
import type { Logger } from '../core/logger';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { ResolverAnswer } from '../settings/page-contract';
import {
  ForbiddenError,
  LookalikeLabelsError,
  NotConnectedError,
  NotFoundError,
} from '../settings/page-errors';

/**
 * The one place resolver errors become answers a page can show: known errors keep their
 * message (written for people, with no secrets in it); anything else is logged and answered
 * with a generic sentence, so internals never reach the browser.
 */

export async function answer<T>(log: Logger, run: () => Promise<T>): Promise<ResolverAnswer<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    return { ok: false, error: toResolverError(error, log) };
  }
}

/** Checks a resolver payload before anything else runs; every bad field is named. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;

  const issues = toFieldIssues(parsed.error);
  throw new ValidationError(`[resolver] Invalid payload: ${describeIssues(issues)}`, issues);
}

function toResolverError(
  error: unknown,
  log: Logger,
): Extract<ResolverAnswer<never>, { ok: false }>['error'] {
  if (error instanceof ValidationError) {
    const fields = Object.fromEntries(
      error.issues
        .slice(0, MAX_FIELDS)
        .map((issue) => [short(issue.path || 'form', 100), short(issue.message, 300)]),
    );
    log.info('Refused invalid input', { fields: Object.keys(fields) });
    const confirm =
      error instanceof LookalikeLabelsError ? { confirm: 'lookalike-labels' as const } : {};
    return {
      code: 'invalid-input',
      message: 'Some fields need attention; nothing was saved.',
      fields,
      ...confirm,
    };
  }
  if (error instanceof ForbiddenError) {
    log.info('Refused a change the caller may not make');
    return { code: 'forbidden', message: error.message };
  }
  if (error instanceof NotConnectedError) return { code: 'not-connected', message: error.message };
  if (error instanceof NotFoundError) return { code: 'not-found', message: error.message };
  if (error instanceof RetriableError) {
    log.warn('A resolver call could not finish', { error: error.message });
    return { code: 'unavailable', message: unavailableMessage(error.message) };
  }
  if (error instanceof UnreadableSettingsError) {
    log.error('Stored settings are unreadable', { error: error.message });
    return {
      code: 'internal',
      message: 'The saved settings cannot be read; contact tasksource support.',
    };
  }

  log.error('Unexpected resolver error', { error });
  return {
    code: 'internal',
    message: 'Something went wrong; try again, and contact tasksource support if it persists.',
  };
}

/** Answers stay small whatever the payload held (an unknown key is echoed in its message). */
const MAX_FIELDS = 20;

function short(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Which service did not answer, from the prefix our errors carry (`[jira]`, `[kvs]`, …). */
function unavailableMessage(message: string): string {
  if (message.startsWith('[queue]')) {
    return "Forge's queue did not take the change; try again. Trying twice sends it once.";
  }
  if (message.startsWith('[kvs]') || message.startsWith('[settings]')) {
    return 'App storage did not answer in time; nothing was saved. Try again.';
  }
  return 'Jira did not answer in time; nothing was saved. Try again.';
}
