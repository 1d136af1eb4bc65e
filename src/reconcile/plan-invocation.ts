import type { StoredSettings } from '../core/settings';
import { reconcilableProjects } from './reconcile-jql';
import type { ReconcileRun, ReconcileState } from './reconcile-state';
import { labelsFingerprint, resumeSchema } from './reconcile-state';

/**
 * What one invocation does, decided from what started it and the stored state: carry on the
 * run that is going, start one, or nothing. Pure; `reconcile.ts` carries the plan out.
 */

/** Scheduled triggers may fire twice (FORGE.md §6); a run this recent is not repeated. */
export const MIN_RUN_INTERVAL_MS = 10 * 60_000;
/** Looks back this far before the last run's start, for clocks and indexing that lag. */
export const SAFETY_MARGIN_MS = 15 * 60_000;
/** Changes this recent are left to their events, which Forge may deliver 3 minutes late. */
export const IN_FLIGHT_MS = 5 * 60_000;

export type ReconcileTrigger =
  | { readonly kind: 'scheduled' }
  | {
      readonly kind: 'message';
      readonly projectIds?: readonly string[] | undefined;
      readonly resume?: Record<string, unknown> | undefined;
    };

export type PlanSkipReason = 'ran-recently' | 'stale-resume' | 'nothing-to-reconcile';

export type ProjectWindow = ReconcileRun['projects'][number];

export type Plan =
  | { readonly action: 'skip'; readonly reason: PlanSkipReason }
  | { readonly action: 'continue'; readonly run: ReconcileRun }
  /** Newly configured projects added to the run that is going; nothing else to do now. */
  | { readonly action: 'join'; readonly run: ReconcileRun }
  | {
      readonly action: 'start';
      readonly scoped: boolean;
      readonly projects: readonly ProjectWindow[];
    };

export function planInvocation(
  trigger: ReconcileTrigger,
  state: ReconcileState,
  settings: StoredSettings,
  now: number,
): Plan {
  if (trigger.kind === 'message' && trigger.resume !== undefined) {
    return planResume(trigger.resume, state);
  }
  if (trigger.kind === 'message' && trigger.projectIds !== undefined) {
    return planFirstRun(trigger.projectIds, state, settings);
  }

  if (state.run) return { action: 'continue', run: state.run };

  const { lastRunAt } = state;
  if (lastRunAt !== undefined && now - lastRunAt < MIN_RUN_INTERVAL_MS) {
    return { action: 'skip', reason: 'ran-recently' };
  }

  const since = lastRunAt === undefined ? null : Math.max(0, lastRunAt - SAFETY_MARGIN_MS);
  const projects = reconcilableProjects(settings).map(({ id, labels }) => ({
    id,
    since: state.covered?.[id] === labelsFingerprint(labels) ? since : null,
  }));
  return { action: 'start', scoped: false, projects };
}

/** Only the step the stored run is at may continue it: a copy of an older message is stale. */
function planResume(resume: Record<string, unknown>, state: ReconcileState): Plan {
  const parsed = resumeSchema.safeParse(resume);
  const run = state.run;
  if (!parsed.success || !run) return { action: 'skip', reason: 'stale-resume' };
  if (parsed.data.runId !== run.runId || parsed.data.step !== run.step) {
    return { action: 'skip', reason: 'stale-resume' };
  }
  return { action: 'continue', run };
}

/** Newly configured projects are searched in full: their issues may predate the app. */
function planFirstRun(
  projectIds: readonly string[],
  state: ReconcileState,
  settings: StoredSettings,
): Plan {
  const configured = new Set(reconcilableProjects(settings).map(({ id }) => id));
  const projects = [...new Set(projectIds)]
    .filter((id) => configured.has(id))
    .map((id) => ({ id, since: null }));
  if (projects.length === 0) return { action: 'skip', reason: 'nothing-to-reconcile' };

  if (state.run) {
    return {
      action: 'join',
      run: { ...state.run, projects: [...state.run.projects, ...projects] },
    };
  }
  return { action: 'start', scoped: true, projects };
}

export function newRun(input: {
  readonly runId: string;
  readonly now: number;
  readonly timeZone: string;
  readonly scoped: boolean;
  readonly projects: readonly ProjectWindow[];
}): ReconcileRun {
  return {
    runId: input.runId,
    step: 0,
    startedAt: input.now,
    until: Math.max(0, input.now - IN_FLIGHT_MS),
    timeZone: input.timeZone,
    scoped: input.scoped,
    projects: [...input.projects],
    phase: input.scoped ? 'changes' : 'releases',
    projectIndex: 0,
  };
}
