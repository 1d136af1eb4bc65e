import { randomUUID } from 'node:crypto';

import { remainingInvocationMs } from '../adapters/app-runtime';
import { createDeliveryQueue } from '../adapters/delivery-queue';
import { createJiraIssueSearch } from '../adapters/jira-issue-search';
import { createJiraProjectFlags } from '../adapters/jira-project-flags';
import { createKvsReconcileState } from '../adapters/kvs-reconcile-state';
import { createKvsRecordScan } from '../adapters/kvs-record-scan';
import { createKvsSettingsStore } from '../adapters/kvs-settings-store';
import type { Logger } from '../core/logger';
import { createLogger, parseLogLevel } from '../core/logger';
import type { QueueMessage } from '../core/queue-message';
import type { ReconcileDeps } from '../reconcile/ports';
import type { ReconcileSummary } from '../reconcile/reconcile';
import { reconcile } from '../reconcile/reconcile';
import type { FailedOutcome } from './platform-outcome';
import { reconcileFailure } from './reconcile-failure';

/** The hourly scheduled trigger (`tasksource-reconcile`): one reconciliation invocation. */
export async function onReconcile(
  _event: unknown,
  _context: unknown,
): Promise<ReconcileSummary | FailedOutcome> {
  const log = reconcileLogger();
  try {
    return await reconcile({ kind: 'scheduled' }, reconcileDeps(log));
  } catch (error) {
    return reconcileFailure(error, log);
  }
}

export type ReconcileMessage = Extract<QueueMessage, { type: 'reconcile' }>;

/**
 * For the queue consumer: carries on a run that stopped early (`resume`), or makes a first
 * run for newly configured projects (`projectIds`). Throws `RetriableError` when the message
 * should come back later (another run holds the lock; Jira, KVS or the queue did not answer);
 * any other error means trying again cannot help.
 */
export function continueReconciliation(message: ReconcileMessage): Promise<ReconcileSummary> {
  const log = reconcileLogger();
  return reconcile(
    { kind: 'message', projectIds: message.projectIds, resume: message.resume },
    reconcileDeps(log),
  );
}

/** The function's own timeout when the runtime cannot say what is left (manifest: 120 s). */
const ASSUMED_TIMEOUT_MS = 120_000;

function reconcileDeps(log: Logger): ReconcileDeps {
  const startedAt = Date.now();
  return {
    settings: createKvsSettingsStore(),
    state: createKvsReconcileState(log, Date.now),
    records: createKvsRecordScan(log),
    jira: createJiraIssueSearch(log),
    queue: createDeliveryQueue(),
    flags: createJiraProjectFlags(),
    remainingMs: () => remainingInvocationMs() ?? ASSUMED_TIMEOUT_MS - (Date.now() - startedAt),
    now: Date.now,
    newId: randomUUID,
    log,
  };
}

function reconcileLogger(): Logger {
  return createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) }).child({
    module: 'reconcile',
  });
}
