import { RetriableError } from '../core/errors';
import { flagStateOf, needsFlag } from '../core/project-flag';
import type { StoredSettings } from '../core/settings';
import type { ReconcileDeps } from './ports';

/**
 * Puts the project flag right for projects with settings: saved by a version from before the
 * flag, saved while Jira refused it, or changed since by someone else. Without its flag, the
 * trigger filter drops a project's events, so this runs first in every full hourly run, before
 * the search for the changes those events would have reported. Each project costs one read,
 * plus a write when its flag is not set. One project's failure does not stop the others; Jira
 * busy (429, 5xx) stops the repair until the next run.
 */

/** Projects checked per run; more are taken in turns, a different slice each hour. */
export const MAX_FLAG_CHECKS = 100;
/** Reads in flight at once. */
const PARALLEL = 10;
const HOUR_MS = 3_600_000;

export interface FlagRepairSummary {
  /** Projects whose flag was looked at (read, then written if need be), failed ones included. */
  readonly checked: number;
  readonly repaired: number;
  readonly failed: number;
  /** Jira requests made: a read per project checked, a write per flag written or tried. */
  readonly requests: number;
}

type Outcome = 'ok' | 'repaired' | 'failed' | 'busy';

export async function repairProjectFlags(
  settings: StoredSettings,
  deps: Pick<ReconcileDeps, 'flags' | 'log' | 'now'>,
): Promise<FlagRepairSummary> {
  const projectIds = projectsToCheck(Object.keys(settings.projects), deps.now());
  const outcomes: Outcome[] = [];
  let requests = 0;

  for (let start = 0; start < projectIds.length; start += PARALLEL) {
    const batch = projectIds.slice(start, start + PARALLEL);
    const results = await Promise.all(batch.map((id) => repairOne(id, settings, deps)));
    outcomes.push(...results.map((result) => result.outcome));
    requests += results.reduce((sum, result) => sum + result.requests, 0);
    if (results.some((result) => result.outcome === 'busy')) break;
  }

  const summary = {
    checked: outcomes.length,
    repaired: outcomes.filter((outcome) => outcome === 'repaired').length,
    failed: outcomes.filter((outcome) => outcome === 'failed' || outcome === 'busy').length,
    requests,
  };
  if (summary.repaired > 0 || summary.failed > 0) deps.log.info('Repaired project flags', summary);
  return summary;
}

/** Every project when they fit in one run; otherwise this hour's slice, wrapping around. */
export function projectsToCheck(projectIds: readonly string[], now: number): string[] {
  const sorted = [...projectIds].sort();
  if (sorted.length <= MAX_FLAG_CHECKS) return sorted;

  const offset = (Math.floor(now / HOUR_MS) * MAX_FLAG_CHECKS) % sorted.length;
  return [...sorted, ...sorted].slice(offset, offset + MAX_FLAG_CHECKS);
}

async function repairOne(
  projectId: string,
  settings: StoredSettings,
  deps: Pick<ReconcileDeps, 'flags' | 'log'>,
): Promise<{ outcome: Outcome; requests: number }> {
  let requests = 1;
  try {
    const state = flagStateOf(await deps.flags.read(projectId));
    if (!needsFlag(settings.projects[projectId], state)) return { outcome: 'ok', requests };

    requests += 1;
    await deps.flags.write(projectId);
    return { outcome: 'repaired', requests };
  } catch (error) {
    deps.log.warn('Could not repair a project flag; the next run tries again', {
      projectId,
      error: error instanceof Error ? error.message : String(error),
    });
    return { outcome: error instanceof RetriableError ? 'busy' : 'failed', requests };
  }
}
