import { createHash } from 'node:crypto';

import * as z from 'zod';

import { projectIdSchema } from '../core/settings';

/**
 * What reconciliation keeps between invocations under `reconcile-state`: when the last full
 * run started, and where a run that is still going has got to. A run outlives an invocation:
 * one that runs out of time saves its position and queues a message to carry on from it.
 */

export const RECONCILE_STATE_KEY = 'reconcile-state';

const time = z.number().int().nonnegative();

export const runSchema = z.strictObject({
  runId: z.string().min(1).max(64),
  /** Bumped whenever an invocation stops early: a resume message naming an older step is stale. */
  step: z.number().int().nonnegative(),
  startedAt: time,
  /** Changes after this are left to events still in flight, and to the next run. */
  until: time,
  timeZone: z.string().min(1).max(64),
  /** A first run for newly configured projects: no release scan, `lastRunAt` left as it was. */
  scoped: z.boolean(),
  projects: z.array(z.strictObject({ id: projectIdSchema, since: time.nullable() })).max(1000),
  phase: z.enum(['releases', 'changes']),
  projectIndex: z.number().int().nonnegative(),
  pageToken: z.string().min(1).max(4000).optional(),
  recordCursor: z.string().min(1).max(600).optional(),
});

export const reconcileStateSchema = z.strictObject({
  version: z.literal(1),
  /** Start of the last full run that finished; the next one looks back from here. */
  lastRunAt: time.optional(),
  /**
   * Per project, the labels (`labelsFingerprint`) its issues were last searched for in full. A
   * project missing here, or with other labels now, is searched in full by the next run: its
   * issues may have qualified before any event could report them.
   */
  covered: z.record(projectIdSchema, z.string().max(64)).optional(),
  run: runSchema.optional(),
});

/** What a `{type: 'reconcile'}` queue message carries to continue a run. */
export const resumeSchema = z.strictObject({
  runId: z.string().min(1).max(64),
  step: z.number().int().nonnegative(),
});

export type ReconcileRun = z.infer<typeof runSchema>;
export type ReconcileState = z.infer<typeof reconcileStateSchema>;
export type ResumePoint = z.infer<typeof resumeSchema>;

export const FRESH_STATE: ReconcileState = { version: 1 };

export function labelsFingerprint(labels: readonly string[]): string {
  const sorted = JSON.stringify([...labels].sort());
  return createHash('sha256').update(sorted).digest('hex').slice(0, 16);
}
