import type { APIResponse } from '@forge/api';
import api, { route } from '@forge/api';

import { PermanentError, RetriableError } from '../core/errors';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../core/project-flag';
import type { ProjectFlags } from '../settings/ports';
import { callJira, jsonOf } from './jira-http';

/**
 * The project flag as a Jira project entity property, read and written as the app (`asApp()`).
 * The app, not the person at the page: the hourly repair has no user, and the page's save
 * checks the caller's Administer Projects permission (as the caller) before it writes. Writing
 * needs the `write:project.property:jira` scope and Administer Projects for the app's own user.
 * A 401 right after install (the app user's permissions arrive late, FORGE.md §1) is retried.
 */

const JSON_HEADERS = { accept: 'application/json' };

export function createJiraProjectFlags(): ProjectFlags {
  return {
    async read(projectId) {
      const response = await callJira('Reading the project flag', () =>
        api.asApp().requestJira(flagRoute(projectId), { headers: JSON_HEADERS }),
      );
      if (response.status === 404) return undefined;
      refuseUnlessOk('Reading the project flag', response);

      const body = (await jsonOf(response)) as { value?: unknown } | undefined;
      return body?.value;
    },

    async write(projectId) {
      const response = await callJira('Setting the project flag', () =>
        api.asApp().requestJira(flagRoute(projectId), {
          method: 'PUT',
          headers: { ...JSON_HEADERS, 'content-type': 'application/json' },
          body: JSON.stringify(PROJECT_FLAG),
        }),
      );
      refuseUnlessOk('Setting the project flag', response);
    },
  };
}

function flagRoute(projectId: string) {
  return route`/rest/api/3/project/${projectId}/properties/${PROJECT_FLAG_KEY}`;
}

function refuseUnlessOk(what: string, response: APIResponse): void {
  if (response.ok) return;
  if (response.status === 401) throw new RetriableError(`[jira] ${what} answered 401`);

  throw new PermanentError(`[jira] ${what} answered ${response.status}`);
}
