import { RetriableError } from '../core/errors';
import { flagStateOf } from '../core/project-flag';
import type { FlagCheck } from '../core/setup-checklist';
import type { PageDeps } from './ports';

/**
 * The project flag on the project settings page: set after every save, checked whenever the
 * page is read, and reported in its checklist. Neither step throws: the settings are saved
 * whatever Jira answers, and a flag that could not be set is put right by the next save or by
 * the hourly reconciliation (`reconcile/repair-project-flags.ts`).
 */

type FlagDeps = Pick<PageDeps, 'flags' | 'log'>;

/** Sets the flag of a project whose settings were just saved. */
export async function setProjectFlag(deps: FlagDeps, projectId: string): Promise<FlagCheck> {
  try {
    await deps.flags.write(projectId);
    return 'set';
  } catch (error) {
    deps.log.warn('Could not set the project flag; the settings are saved', {
      projectId,
      error: messageOf(error),
    });
    // An earlier flag may still be in place, and then events keep arriving.
    if ((await checkProjectFlag(deps, projectId, true)) === 'set') return 'set';
    return error instanceof RetriableError ? 'write-unavailable' : 'write-refused';
  }
}

/** What the flag says now, for a project with settings (`configured`) or without. */
export async function checkProjectFlag(
  deps: FlagDeps,
  projectId: string,
  configured: boolean,
): Promise<FlagCheck> {
  if (!configured) return 'not-saved';

  try {
    return flagStateOf(await deps.flags.read(projectId));
  } catch (error) {
    deps.log.warn('Could not read the project flag', { projectId, error: messageOf(error) });
    return 'unknown';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
