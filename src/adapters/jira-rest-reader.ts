import type { APIResponse } from '@forge/api';
import api, { route } from '@forge/api';
import type * as z from 'zod';

import { RetriableError } from '../core/errors';
import { jiraCommentSchema, jiraIssueSchema } from '../core/jira-issue';
import { isRetriableStatus, requestedDelaySeconds } from '../core/retry-policy';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { JiraRead, JiraReader } from '../forwarding/ports';

/**
 * Reads issues and comments as the app (`asApp()`), from REST API v2 so that text fields come
 * as wiki markup, the representation Jira's admin webhooks send.
 *
 * 404 and 403 mean the issue is gone or hidden from the app. 401 right after install means the
 * app user's permissions have not arrived yet (FORGE.md §1), so it is retried like 429 and 5xx.
 */

/** Every field an admin webhook carries; comments and worklogs travel in their own events. */
const ISSUE_FIELDS = '*all,-comment,-worklog';

export function createJiraRestReader(now: () => number = Date.now): JiraReader {
  return {
    async readIssue(issueId) {
      const path = route`/rest/api/2/issue/${issueId}?fields=${ISSUE_FIELDS}`;
      return interpret(await request(path, 'issue'), jiraIssueSchema, 'issue', now);
    },

    async readComment(issueId, commentId) {
      const path = route`/rest/api/2/issue/${issueId}/comment/${commentId}`;
      return interpret(await request(path, 'comment'), jiraCommentSchema, 'comment', now);
    },
  };
}

/** A request that never reached Jira (network, proxy) is worth a retry like a 5xx. */
async function request(path: ReturnType<typeof route>, what: string): Promise<APIResponse> {
  try {
    return await api.asApp().requestJira(path, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new RetriableError(`[jira] Reading the ${what} failed before Jira answered`, {
      cause: error,
    });
  }
}

async function interpret<T>(
  response: APIResponse,
  schema: z.ZodType<T>,
  what: string,
  now: () => number,
): Promise<JiraRead<T>> {
  if (response.status === 404 || response.status === 403) {
    return { kind: 'gone', status: response.status };
  }
  if (response.status === 401 || isRetriableStatus(response.status)) {
    throw new RetriableError(`[jira] Reading the ${what} answered ${response.status}`, {
      retryAfterSeconds: requestedDelaySeconds((name) => response.headers.get(name), now()),
      rateLimited: response.status === 429,
    });
  }
  if (!response.ok) {
    return { kind: 'unreadable', detail: `Jira answered ${response.status} reading the ${what}` };
  }

  const json: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const detail = describeIssues(toFieldIssues(parsed.error));
    return { kind: 'unreadable', detail: `Jira's ${what} does not fit REST API v2: ${detail}` };
  }
  // The checked fields are passed through unchanged, so Jira's own object (with its key order)
  // is what tasksource receives.
  return { kind: 'found', value: json as T };
}
