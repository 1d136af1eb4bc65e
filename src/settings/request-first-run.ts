import type { PageDeps } from './ports';

/**
 * Asks for a project's first reconciliation run, so issues outsourced before the project was
 * configured (or before the app was installed) reach tasksource without waiting for the hourly
 * run. Best effort: the settings are saved already, and a failed push is only logged. The
 * hourly run searches the project in full anyway, since its labels are not yet marked covered
 * in the reconciliation state.
 */
export async function requestFirstRun(
  deps: Pick<PageDeps, 'queue' | 'log'>,
  projectId: string,
): Promise<void> {
  try {
    await deps.queue.push([{ type: 'reconcile', projectIds: [projectId] }]);
    deps.log.info('Asked for a first reconciliation run', { projectId });
  } catch (error) {
    deps.log.warn('Could not ask for a first reconciliation run; the hourly run will look', {
      projectId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
