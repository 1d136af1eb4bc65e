import api, { route } from '@forge/api';

import type { JiraPermission, PermissionChecker } from '../settings/ports';
import { callJira, jsonOf } from './jira-http';

/**
 * Permission checks as the calling user (`asUser()`): the resolver context names the user, and
 * Jira answers for that user's own rights, so a page cannot claim rights it does not have.
 */
export function createJiraUserPermissions(): PermissionChecker {
  return {
    async has(permission: JiraPermission, projectId?: string) {
      const query = new URLSearchParams({
        permissions: permission,
        ...(projectId ? { projectId } : {}),
      });
      const response = await callJira('Checking permissions', () =>
        api.asUser().requestJira(route`/rest/api/3/mypermissions?${query}`, {
          headers: { accept: 'application/json' },
        }),
      );
      if (!response.ok) return false;

      const body = (await jsonOf(response)) as {
        permissions?: Record<string, { havePermission?: unknown }>;
      };
      return body?.permissions?.[permission]?.havePermission === true;
    },
  };
}
