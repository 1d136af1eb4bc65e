import { ForbiddenError } from './page-errors';
import type { JiraPermission, PageDeps } from './ports';

/** Stops a change unless the calling user holds `permission`, checked as that user. */
export async function requirePermission(
  deps: Pick<PageDeps, 'permissions'>,
  permission: JiraPermission,
  message: string,
  projectId?: string,
): Promise<void> {
  if (await deps.permissions.has(permission, projectId)) return;

  throw new ForbiddenError(`${message}; ask someone who has it. Nothing was changed.`);
}
