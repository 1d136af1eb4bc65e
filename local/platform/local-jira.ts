/**
 * Jira Cloud's REST API, as far as the app uses it: issues and their comments, served from a
 * scenario's state, plus the directory reads of the settings pages, reconciliation's search and
 * project properties. Issues are found by id or key; comments come from
 * `fields.comment.comments` of their issue, as Jira embeds them. Answers mirror Jira's: 404
 * with `errorMessages` for what does not exist.
 */

import { FaultList } from './faults';
import type { Caller } from './local-jira-directory';
import { LocalJiraDirectory } from './local-jira-directory';
import { LocalProjectProperties } from './local-jira-properties';
import { LocalJiraSearch } from './local-jira-search';

export interface JiraAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class LocalJira {
  private readonly issues = new Map<string, Record<string, unknown>>();
  readonly requests: string[] = [];
  readonly directory = new LocalJiraDirectory(() => [...this.issues.values()]);
  /** Issue search (`search/jql`) for the JQL reconciliation writes. */
  readonly search = new LocalJiraSearch(() => [...this.issues.values()]);
  /** Project entity properties; the trigger filter reads them too. */
  readonly projectProperties = new LocalProjectProperties((idOrKey) =>
    this.directory.findProject(idOrKey),
  );
  /** Injected failures, matched on the request path without its query. */
  readonly faults = new FaultList();

  /** Replaces the given issues; `null` deletes one (it then answers 404). */
  apply(issues: Record<string, unknown>): void {
    for (const [id, issue] of Object.entries(issues)) {
      if (issue === null) this.issues.delete(id);
      else this.issues.set(id, structuredClone(issue) as Record<string, unknown>);
    }
  }

  issue(idOrKey: string): Record<string, unknown> | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;

    return [...this.issues.values()].find((issue) => issue.key === idOrKey);
  }

  handle(
    method: string,
    pathWithQuery: string,
    body?: unknown,
    caller: Caller = { provider: 'app', user: undefined },
  ): JiraAnswer {
    this.requests.push(`${method} ${pathWithQuery}`);
    const [rawPath = '', search = ''] = pathWithQuery.split('?');
    const path = decodeURIComponent(rawPath);
    const fault = this.faults.take(path, (injected) => ({
      errorMessages: [`Injected fault: ${injected.status}`],
      errors: {},
    }));
    if (fault) return fault;
    const fromDirectory = this.directory.handle(
      method,
      path,
      new URLSearchParams(search),
      body,
      caller,
    );
    if (fromDirectory) return fromDirectory;
    const fromSearch = this.search.handle(method, path, body, caller);
    if (fromSearch) return fromSearch;
    const fromProperties = this.projectProperties.handle(method, path, body, caller);
    if (fromProperties) return fromProperties;
    if (method !== 'GET') return notFound(`The local Jira does not implement ${method} ${path}`);

    const comment = /^\/rest\/api\/[23]\/issue\/([^/]+)\/comment\/([^/]+)$/.exec(path);
    if (comment) return this.comment(comment[1] ?? '', comment[2] ?? '');

    const issue = /^\/rest\/api\/[23]\/issue\/([^/]+)$/.exec(path);
    if (issue) return this.readIssue(issue[1] ?? '');

    return notFound(`The local Jira does not implement ${path}`);
  }

  private readIssue(idOrKey: string): JiraAnswer {
    const issue = this.issue(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');

    const fields = (issue.fields ?? {}) as Record<string, unknown>;
    const withoutComments = Object.fromEntries(
      Object.entries(fields).filter(([name]) => name !== 'comment' && name !== 'worklog'),
    );
    return { status: 200, body: { ...issue, fields: withoutComments } };
  }

  private comment(idOrKey: string, commentId: string): JiraAnswer {
    const issue = this.issue(idOrKey);
    if (!issue) return notFound('Issue does not exist or you do not have permission to see it.');

    const fields = (issue.fields ?? {}) as { comment?: { comments?: unknown } };
    const comments = Array.isArray(fields.comment?.comments) ? fields.comment.comments : [];
    const found = comments.find((item) => (item as { id?: unknown } | null)?.id === commentId);
    if (!found) return notFound(`Can not find a comment for the id: ${commentId}.`);

    return { status: 200, body: found };
  }
}

function notFound(message: string): JiraAnswer {
  return { status: 404, body: { errorMessages: [message], errors: {} } };
}
