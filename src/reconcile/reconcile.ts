import { RetriableError } from '../core/errors';
import type { QueueMessage } from '../core/queue-message';
import type { StoredConnection, StoredSettings } from '../core/settings';
import type { ReconcileTrigger } from './plan-invocation';
import { newRun, planInvocation } from './plan-invocation';
import type { ReconcileDeps } from './ports';
import { isFinished, runStep } from './reconcile-steps';
import { reconcilableProjects } from './reconcile-jql';
import type { ReconcileRun, ReconcileState } from './reconcile-state';
import { labelsFingerprint } from './reconcile-state';
import type { FlagRepairSummary } from './repair-project-flags';
import { repairProjectFlags } from './repair-project-flags';
import type { SyntheticEvent } from './synthetic-event';

/**
 * Reconciliation: finds outsourced issues that changed without tasksource hearing of it, and
 * recorded issues that are no longer outsourced, and queues a made-up `updated:issue` event for
 * each, for the queue consumer to run through the same pipeline as the trigger. It never sends
 * to tasksource itself.
 *
 * A run is bounded per invocation (time left, issues looked at, events queued) and resumable:
 * one that stops early saves its position and queues a message to carry on from there. One
 * invocation at a time holds the lock; the stored state names the step a resume may continue.
 * A full run first repairs the project flags the trigger filter reads (`repair-project-flags`).
 */

/** Stop with this much time left: enough to queue, save and let go of the lock. */
export const MIN_REMAINING_MS = 20_000;
export const MAX_ISSUES_PER_INVOCATION = 1_000;
/** Forge queues take 500 events a minute (FORGE.md §6); the consumer needs room for retries. */
export const MAX_EVENTS_PER_INVOCATION = 250;
/** A run stopped for having queued its share waits this long before it carries on. */
const EVENT_CAP_DELAY_SECONDS = 60;

export type ReconcileSummary =
  | {
      readonly outcome: 'reconciled';
      readonly projects: number;
      readonly searched: number;
      readonly missed: number;
      readonly releases: number;
      readonly jiraRequests: number;
      readonly stoppedEarly: boolean;
      /** Set on the first invocation of a full run, which checks the project flags. */
      readonly projectFlags?: Omit<FlagRepairSummary, 'requests'>;
    }
  | { readonly outcome: 'skipped'; readonly reason: ReconcileSkipReason };

export type ReconcileSkipReason =
  | 'not-connected'
  | 'already-running'
  | 'ran-recently'
  | 'stale-resume'
  | 'nothing-to-reconcile'
  | 'added-to-running-run';

export async function reconcile(
  trigger: ReconcileTrigger,
  deps: ReconcileDeps,
): Promise<ReconcileSummary> {
  const settings = await deps.settings.load();
  const connection = settings.connection;
  if (!connection) return skipped(deps, 'not-connected');

  const token = deps.newId();
  const lock = await deps.state.lock(token);
  if (!lock.locked) {
    // A message must not be lost (a first run would never come again): the queue retries it.
    if (trigger.kind === 'message') {
      throw new RetriableError('[reconcile] Another reconciliation is running', {
        retryAfterSeconds: 60,
      });
    }
    return skipped(deps, 'already-running');
  }

  try {
    return await reconcileLocked(trigger, settings, connection, deps);
  } finally {
    await deps.state.unlock(token);
  }
}

async function reconcileLocked(
  trigger: ReconcileTrigger,
  settings: StoredSettings,
  connection: StoredConnection,
  deps: ReconcileDeps,
): Promise<ReconcileSummary> {
  const state = await deps.state.load();

  const plan = planInvocation(trigger, state, settings, deps.now());
  if (plan.action === 'skip') return skipped(deps, plan.reason);
  if (plan.action === 'join') {
    await deps.state.save({ ...state, run: plan.run });
    return skipped(deps, 'added-to-running-run');
  }

  const run =
    plan.action === 'continue'
      ? plan.run
      : newRun({
          runId: deps.newId(),
          now: deps.now(),
          timeZone: await deps.jira.timeZone(),
          scoped: plan.scoped,
          projects: plan.projects,
        });
  const flags =
    plan.action === 'start' && !plan.scoped ? await repairProjectFlags(settings, deps) : undefined;
  deps.log.info('Reconciling', { runId: run.runId, step: run.step, phase: run.phase });
  return carryOn(run, state, settings, connection, deps, flags);
}

interface Tally {
  searched: number;
  missed: number;
  releases: number;
  /** The flag repair this invocation made, if it made one. */
  readonly flags?: FlagRepairSummary | undefined;
}

async function carryOn(
  start: ReconcileRun,
  state: ReconcileState,
  settings: StoredSettings,
  connection: StoredConnection,
  deps: ReconcileDeps,
  flags?: FlagRepairSummary,
): Promise<ReconcileSummary> {
  const tally: Tally = { searched: 0, missed: 0, releases: 0, flags };
  let run = start;

  for (let steps = 0; !isFinished(run); steps += 1) {
    const stop = stopReason(tally, deps);
    if (stop) return stopEarly(run, state, tally, stop, deps);

    const result = await runStep(run, {
      settings,
      connectionId: connection.connectionId,
      integrationAccountId: connection.integrationAccountId,
      firstStep: steps === 0,
      deps,
    });
    await queueEvents([...result.releases, ...result.missed], deps);
    await wake(result.stuck ?? [], deps);
    run = result.run;
    await deps.state.save({ ...state, run });

    tally.searched += result.checked;
    tally.missed += result.missed.length;
    tally.releases += result.releases.length;
  }

  await deps.state.save(finishedState(run, state, settings));
  deps.log.info('Reconciled', { runId: run.runId, ...tally });
  return summary(run, tally, false, deps);
}

type StopReason = 'time' | 'issues' | 'events';

function stopReason(tally: Tally, deps: ReconcileDeps): StopReason | undefined {
  if (deps.remainingMs() < MIN_REMAINING_MS) return 'time';
  if (tally.searched >= MAX_ISSUES_PER_INVOCATION) return 'issues';
  if (tally.missed + tally.releases >= MAX_EVENTS_PER_INVOCATION) return 'events';
  return undefined;
}

/**
 * Saves where the run got to under a new step number, then queues the message that carries
 * on from it. Should the push fail, the next scheduled run carries on from the saved state.
 */
async function stopEarly(
  current: ReconcileRun,
  state: ReconcileState,
  tally: Tally,
  reason: StopReason,
  deps: ReconcileDeps,
): Promise<ReconcileSummary> {
  const run = { ...current, step: current.step + 1 };
  await deps.state.save({ ...state, run });

  const message: QueueMessage = {
    type: 'reconcile',
    resume: { runId: run.runId, step: run.step },
  };
  const delayInSeconds = reason === 'events' ? EVENT_CAP_DELAY_SECONDS : 0;
  try {
    await deps.queue.push([message], { delayInSeconds });
  } catch (error) {
    deps.log.warn('Could not queue the rest of the run; the next scheduled run carries on', {
      runId: run.runId,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  deps.log.info('Reconciliation stopped early', { runId: run.runId, step: run.step, reason });
  return summary(run, tally, true, deps);
}

/** Pushes a queue event for each issue whose waiting change nothing else will wake. */
async function wake(issueIds: readonly string[], deps: ReconcileDeps): Promise<void> {
  if (issueIds.length === 0) return;

  deps.log.warn('Waking issues whose waiting change is long overdue', { issueIds });
  await deps.queue.push(issueIds.map((issueId) => ({ type: 'issue', issueId })));
}

async function queueEvents(events: readonly SyntheticEvent[], deps: ReconcileDeps): Promise<void> {
  if (events.length === 0) return;

  const firstAttemptAt = deps.now();
  const messages: QueueMessage[] = events.map((event) => ({
    type: 'event',
    event,
    attempts: 0,
    firstAttemptAt,
  }));
  await deps.queue.push(messages);
}

/**
 * A full run moves `lastRunAt` to its start; a first run for new projects leaves it be. Each
 * project searched marks its current labels covered; a full run forgets projects that no
 * longer outsource, so switching one back on searches it in full again.
 */
function finishedState(
  run: ReconcileRun,
  state: ReconcileState,
  settings: StoredSettings,
): ReconcileState {
  const lastRunAt = run.scoped ? state.lastRunAt : run.startedAt;
  const searched = new Set(run.projects.map(({ id }) => id));
  const covered = Object.fromEntries([
    ...Object.entries(run.scoped ? (state.covered ?? {}) : {}),
    ...reconcilableProjects(settings)
      .filter(({ id }) => searched.has(id))
      .map(({ id, labels }) => [id, labelsFingerprint(labels)]),
  ]);
  return { version: 1, ...(lastRunAt === undefined ? {} : { lastRunAt }), covered };
}

function summary(
  run: ReconcileRun,
  tally: Tally,
  stoppedEarly: boolean,
  deps: ReconcileDeps,
): ReconcileSummary {
  const { flags, ...counts } = tally;
  return {
    outcome: 'reconciled',
    projects: run.projects.length,
    ...counts,
    jiraRequests: deps.jira.requests + (flags?.requests ?? 0),
    stoppedEarly,
    ...(flags
      ? { projectFlags: { checked: flags.checked, repaired: flags.repaired, failed: flags.failed } }
      : {}),
  };
}

function skipped(deps: ReconcileDeps, reason: ReconcileSkipReason): ReconcileSummary {
  deps.log.info('Not reconciling', { reason });
  return { outcome: 'skipped', reason };
}
