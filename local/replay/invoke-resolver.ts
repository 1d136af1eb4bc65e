import { adminPageResolver } from '../../src/functions/admin-page-resolver';
import { projectPageResolver } from '../../src/functions/project-page-resolver';
import type { LocalForgePlatform } from '../platform/local-forge-platform';

/**
 * Calls a page's resolver the way the Forge platform does: `{call: {functionKey, payload},
 * context}` plus the runtime payload with the caller as `principal`, timed as an invocation of
 * the module's resolver function. The caller's Jira permissions are held by the local Jira,
 * which answers `asUser()` permission checks from them.
 */

export interface ResolveRequest {
  readonly module: 'admin' | 'project-settings';
  readonly projectId?: string | undefined;
  readonly as: { readonly accountId: string; readonly permissions: readonly string[] };
  readonly call: string;
  readonly payload?: unknown;
}

export type ResolveResult =
  { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly error: unknown };

const MODULES = {
  admin: { handler: adminPageResolver, moduleKey: 'tasksource-admin', type: 'jira:adminPage' },
  'project-settings': {
    handler: projectPageResolver,
    moduleKey: 'tasksource-project-settings',
    type: 'jira:projectSettingsPage',
  },
} as const;

export async function invokeResolver(
  platform: LocalForgePlatform,
  siteUrl: string,
  request: ResolveRequest,
): Promise<ResolveResult> {
  const target = MODULES[request.module];
  const project = request.projectId
    ? platform.jira.directory.project(request.projectId)
    : undefined;
  const context = {
    cloudId: platform.cloudId,
    siteUrl,
    moduleKey: target.moduleKey,
    extension: {
      type: target.type,
      ...(request.projectId
        ? { project: { id: request.projectId, key: project?.key, type: 'software' } }
        : {}),
    },
  };

  try {
    const answer = await platform.actAs(request.as, () =>
      platform.invokeResolver(target.moduleKey, () =>
        target.handler(
          { call: { functionKey: request.call, payload: request.payload }, context },
          { principal: { accountId: request.as.accountId }, ...platform.triggerContext() },
        ),
      ),
    );
    return (answer ?? {
      ok: false,
      error: { code: 'no-answer', message: 'The resolver answered nothing' },
    }) as ResolveResult;
  } catch (error) {
    // Forge rejects the front end's `invoke` when the resolver throws, e.g. for an unknown key.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'invoke-failed', message } };
  }
}
