import api, { route } from '@forge/api';
import * as z from 'zod';

import type { JiraDirectory, JiraProject, JiraUser } from '../settings/ports';
import { callJira, jsonOf } from './jira-http';

/**
 * Site-wide reads for the settings pages, as the app: users, labels, projects, and the count of
 * outsourced issues. Answers are checked; an answer that does not fit counts as empty.
 */

const user = z.looseObject({ accountId: z.string(), displayName: z.string().default('') });
const users = z.array(user);
const labelPage = z.looseObject({ values: z.array(z.string()), isLast: z.boolean().default(true) });
const projectPage = z.looseObject({
  values: z.array(z.looseObject({ id: z.string(), key: z.string(), name: z.string().default('') })),
});
const count = z.looseObject({ count: z.number() });

const JSON_HEADERS = { accept: 'application/json' };
const PROJECTS_PER_PAGE = 50;

export function createJiraDirectory(): JiraDirectory {
  const get = (what: string, path: ReturnType<typeof route>) =>
    callJira(what, () => api.asApp().requestJira(path, { headers: JSON_HEADERS }));

  return {
    async getUser(accountId) {
      const response = await get('Reading a user', route`/rest/api/3/user?accountId=${accountId}`);
      if (!response.ok) return undefined;

      const parsed = user.safeParse(await jsonOf(response));
      return parsed.success ? toUser(parsed.data) : undefined;
    },

    async searchUsers(query) {
      const response = await get(
        'Searching users',
        route`/rest/api/3/user/search?query=${query}&maxResults=20`,
      );
      const parsed = users.safeParse(response.ok ? await jsonOf(response) : []);
      return parsed.success ? parsed.data.map(toUser) : [];
    },

    async isAssignable(projectKey, accountId) {
      const path = route`/rest/api/3/user/assignable/search?project=${projectKey}&accountId=${accountId}`;
      const response = await get('Checking the assignee', path);
      const parsed = users.safeParse(response.ok ? await jsonOf(response) : []);
      return parsed.success && parsed.data.some((found) => found.accountId === accountId);
    },

    async listLabels(startAt, maxResults) {
      const response = await get(
        'Reading labels',
        route`/rest/api/3/label?startAt=${startAt}&maxResults=${maxResults}`,
      );
      const parsed = labelPage.safeParse(response.ok ? await jsonOf(response) : {});
      return parsed.success
        ? { values: parsed.data.values, isLast: parsed.data.isLast }
        : { values: [], isLast: true };
    },

    async countIssues(jql) {
      const response = await callJira('Counting outsourced issues', () =>
        api.asApp().requestJira(route`/rest/api/3/search/approximate-count`, {
          method: 'POST',
          headers: { ...JSON_HEADERS, 'content-type': 'application/json' },
          body: JSON.stringify({ jql }),
        }),
      );
      const parsed = count.safeParse(response.ok ? await jsonOf(response) : {});
      if (!parsed.success)
        throw new Error(`[jira] Counting outsourced issues answered ${response.status}`);
      return parsed.data.count;
    },

    async getProjects(ids) {
      const found: JiraProject[] = [];
      for (let start = 0; start < ids.length; start += PROJECTS_PER_PAGE) {
        const batch = ids.slice(start, start + PROJECTS_PER_PAGE).map((id) => ['id', id]);
        const query = new URLSearchParams([...batch, ['maxResults', String(PROJECTS_PER_PAGE)]]);
        const response = await get('Reading projects', route`/rest/api/3/project/search?${query}`);
        const parsed = projectPage.safeParse(response.ok ? await jsonOf(response) : {});
        if (parsed.success)
          found.push(...parsed.data.values.map(({ id, key, name }) => ({ id, key, name })));
      }
      return found;
    },
  };
}

function toUser({ accountId, displayName }: z.infer<typeof user>): JiraUser {
  return { accountId, displayName };
}
