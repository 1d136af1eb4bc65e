import type { APIResponse } from '@forge/api';
import api, { route } from '@forge/api';
import * as z from 'zod';

import { PermanentError, RetriableError } from '../core/errors';
import type { Logger } from '../core/logger';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import { JqlRefusedError } from '../reconcile/errors';
import { isKnownTimeZone } from '../reconcile/jql-time';
import type { IssueSearch, SearchedIssue } from '../reconcile/ports';
import { callJira, jsonOf } from './jira-http';

/**
 * Issue search as the app (`asApp()`): `POST /rest/api/3/search/jql`, paged by
 * `nextPageToken` (the older `/search` is being removed, FORGE.md §11), asking only for the
 * four fields reconciliation reads. 400 is Jira refusing the JQL or the page token; 401 right
 * after install is the app user's permissions not having arrived yet, worth a retry.
 */

const FIELDS = ['updated', 'project', 'assignee', 'labels'];
const MAX_RESULTS = 100;
const FALLBACK_TIME_ZONE = 'UTC';

const searchAnswer = z.looseObject({
  issues: z
    .array(
      z.looseObject({
        id: z.string().regex(/^[0-9]{1,18}$/),
        key: z.string().min(1),
        fields: z.looseObject({
          updated: z.string().optional(),
          project: z.looseObject({ id: z.string().regex(/^[0-9]+$/), key: z.string().optional() }),
          assignee: z
            .looseObject({ accountId: z.string().min(1) })
            .nullable()
            .optional(),
          labels: z.array(z.string()).optional(),
        }),
      }),
    )
    .default([]),
  nextPageToken: z.string().min(1).nullable().optional(),
  isLast: z.boolean().optional(),
});

const errorAnswer = z.looseObject({ errorMessages: z.array(z.string()).optional() });

export function createJiraIssueSearch(log: Logger): IssueSearch {
  let requests = 0;

  return {
    get requests() {
      return requests;
    },

    async search(jql, pageToken) {
      requests += 1;
      const body = {
        jql,
        fields: FIELDS,
        maxResults: MAX_RESULTS,
        ...(pageToken ? { nextPageToken: pageToken } : {}),
      };
      const response = await callJira('Searching issues', () =>
        api.asApp().requestJira(route`/rest/api/3/search/jql`, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      return interpret(response);
    },

    async timeZone() {
      requests += 1;
      const response = await callJira('Reading the app user', () =>
        api.asApp().requestJira(route`/rest/api/3/myself`, {
          headers: { accept: 'application/json' },
        }),
      );
      const zone = response.ok ? ((await jsonOf(response)) as { timeZone?: unknown }) : undefined;
      if (typeof zone?.timeZone === 'string' && isKnownTimeZone(zone.timeZone)) {
        return zone.timeZone;
      }

      log.warn('Jira did not say which time zone the app user is in; using UTC', {
        status: response.status,
      });
      return FALLBACK_TIME_ZONE;
    },
  };
}

async function interpret(response: APIResponse) {
  if (response.status === 400) {
    const parsed = errorAnswer.safeParse(await jsonOf(response));
    const messages = (parsed.success ? (parsed.data.errorMessages ?? []) : [])
      .slice(0, 3)
      .map((message) => message.slice(0, 300));
    throw new JqlRefusedError('[jira] Jira refused the search (400)', messages);
  }
  if (response.status === 401) {
    throw new RetriableError('[jira] Searching issues answered 401');
  }
  if (!response.ok) {
    throw new PermanentError(`[jira] Searching issues answered ${response.status}`);
  }

  const parsed = searchAnswer.safeParse(await jsonOf(response));
  if (!parsed.success) {
    const detail = describeIssues(toFieldIssues(parsed.error));
    throw new PermanentError(`[jira] The search answer does not fit search/jql: ${detail}`);
  }
  const { issues, nextPageToken, isLast } = parsed.data;
  return {
    issues: issues.map(toSearchedIssue),
    nextPageToken: isLast === true ? undefined : (nextPageToken ?? undefined),
  };
}

function toSearchedIssue(issue: z.infer<typeof searchAnswer>['issues'][number]): SearchedIssue {
  const { fields } = issue;
  return {
    id: issue.id,
    key: issue.key,
    updated: fields.updated,
    projectId: fields.project.id,
    projectKey: fields.project.key,
    assigneeAccountId: fields.assignee?.accountId ?? null,
    labels: fields.labels ?? [],
  };
}
