import { createHash } from 'node:crypto';

import type { JiraAnswer } from './local-jira';
import type { Caller } from './local-jira-directory';

/**
 * `POST /rest/api/3/search/jql` for exactly the JQL reconciliation writes, and the app user's
 * `GET /rest/api/3/myself` (time zone UTC, in which JQL dates are then read). Anything else is
 * answered 400 in Jira's error shape, so JQL that drifts from what this parser knows fails a
 * test instead of passing silently. Searches are answered for the app (`asApp()`) only.
 *
 * The two forms:
 * - `<outsourced> [AND updated >= "<d>"] AND updated <= "<d>"`
 * - `id in (<ids>) AND ((<outsourced>) OR (<outsourced>) …)`
 * with `<outsourced>` = `project = "<id>" AND assignee = "<accountId>" AND labels in ("<l>", …)`
 * and `<d>` = `yyyy/MM/dd HH:mm`. Labels match exactly. An id that names no issue is refused
 * the way Jira refuses a reference to something that does not exist (inferred, KNOWN_ISSUES).
 */

type Issue = Record<string, unknown> & { id?: unknown; fields?: Record<string, unknown> };

interface Outsourced {
  readonly projectId: string;
  readonly accountId: string;
  readonly labels: readonly string[];
}

type Query =
  | { kind: 'changed'; outsourced: Outsourced; from: number | undefined; to: number }
  | { kind: 'ids'; ids: readonly string[]; anyOf: readonly Outsourced[] };

const MAX_RESULTS = 100;
const DEFAULT_RESULTS = 50;

export class LocalJiraSearch {
  /** Every JQL the app sent, in order. */
  readonly queries: string[] = [];

  constructor(private readonly issues: () => Issue[]) {}

  handle(method: string, path: string, body: unknown, caller: Caller): JiraAnswer | undefined {
    const route = `${method} ${path}`;
    if (route !== 'POST /rest/api/3/search/jql' && route !== 'GET /rest/api/3/myself') {
      return undefined;
    }
    if (caller.provider !== 'app') {
      return error(403, 'The local Jira answers reconciliation reads for the app (asApp) only.');
    }
    return route === 'GET /rest/api/3/myself' ? appUser() : this.search(body);
  }

  private search(body: unknown): JiraAnswer {
    const request = (body ?? {}) as Record<string, unknown>;
    if (typeof request.jql !== 'string') return error(400, 'The jql field is required.');
    this.queries.push(request.jql);

    const query = parseQuery(request.jql);
    if (typeof query === 'string') return error(400, `Error in the JQL Query: ${query}`);

    const all = [...this.issues()].sort((a, b) => Number(a.id) - Number(b.id));
    if (query.kind === 'ids') {
      const missing = query.ids.find((id) => !all.some((issue) => issue.id === id));
      if (missing)
        return error(400, `An issue with key '${missing}' does not exist for field 'id'.`);
    }

    const matches = all.filter((issue) => matchesQuery(issue, query));
    const start = readToken(request.nextPageToken, request.jql);
    if (start === undefined)
      return error(400, 'The provided next page token is invalid or expired.');

    const size = pageSize(request.maxResults);
    const page = matches.slice(start, start + size);
    const isLast = start + page.length >= matches.length;
    return {
      status: 200,
      body: {
        issues: page.map((issue) => pickFields(issue, request.fields)),
        ...(isLast ? {} : { nextPageToken: makeToken(request.jql, start + page.length) }),
        isLast,
      },
    };
  }
}

function appUser(): JiraAnswer {
  return {
    status: 200,
    body: {
      accountId: '557058:local-app-user',
      accountType: 'app',
      displayName: 'tasksource for Jira',
      active: true,
      timeZone: 'UTC',
    },
  };
}

/** A small strict parser: the query, or what it expected where the JQL went another way. */
function parseQuery(jql: string): Query | string {
  const reader = new Reader(jql);
  try {
    const query = reader.peek('id in (') ? parseIds(reader) : parseChanged(reader);
    reader.end();
    return query;
  } catch (failure) {
    if (failure instanceof JqlSyntaxError) return failure.message;
    throw failure;
  }
}

function parseChanged(reader: Reader): Query {
  const outsourced = parseOutsourced(reader);
  const from = reader.peek(' AND updated >= ') ? reader.date(' AND updated >= ') : undefined;
  const to = reader.date(' AND updated <= ');
  return { kind: 'changed', outsourced, from, to };
}

function parseIds(reader: Reader): Query {
  reader.expect('id in (');
  const ids = reader.list(() => reader.digits());
  reader.expect(') AND (');
  const anyOf = [parseBracketed(reader)];
  while (reader.peek(' OR ')) {
    reader.expect(' OR ');
    anyOf.push(parseBracketed(reader));
  }
  reader.expect(')');
  return { kind: 'ids', ids, anyOf };
}

function parseBracketed(reader: Reader): Outsourced {
  reader.expect('(');
  const outsourced = parseOutsourced(reader);
  reader.expect(')');
  return outsourced;
}

function parseOutsourced(reader: Reader): Outsourced {
  reader.expect('project = ');
  const projectId = reader.quoted();
  reader.expect(' AND assignee = ');
  const accountId = reader.quoted();
  reader.expect(' AND labels in (');
  const labels = reader.list(() => reader.quoted());
  reader.expect(')');
  return { projectId, accountId, labels };
}

class JqlSyntaxError extends Error {}

class Reader {
  private at = 0;

  constructor(private readonly text: string) {}

  peek(literal: string): boolean {
    return this.text.startsWith(literal, this.at);
  }

  expect(literal: string): void {
    if (!this.peek(literal)) this.fail(`expected ${JSON.stringify(literal)}`);
    this.at += literal.length;
  }

  end(): void {
    if (this.at !== this.text.length) this.fail('expected the end of the query');
  }

  /** A double-quoted value; `\\` and `\"` are the only escapes the app writes. */
  quoted(): string {
    const match = /^"((?:[^"\\]|\\[\\"])*)"/.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a double-quoted value');
    this.at += match[0].length;
    return (match[1] ?? '').replace(/\\([\\"])/g, '$1');
  }

  digits(): string {
    const match = /^[0-9]{1,18}/.exec(this.text.slice(this.at));
    if (!match) this.fail('expected a numeric issue id');
    this.at += match[0].length;
    return match[0];
  }

  list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.peek(', ')) {
      this.expect(', ');
      items.push(item());
    }
    return items;
  }

  /** `<prefix>"yyyy/MM/dd HH:mm"`, read as UTC (the app user's zone here). */
  date(prefix: string): number {
    this.expect(prefix);
    const value = this.quoted();
    const match = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})$/.exec(value);
    if (!match) this.fail(`expected a date as "yyyy/MM/dd HH:mm", got ${JSON.stringify(value)}`);
    const [year = 0, month = 1, day = 1, hour = 0, minute = 0] = match.slice(1).map(Number);
    return Date.UTC(year, month - 1, day, hour, minute);
  }

  private fail(what: string): never {
    throw new JqlSyntaxError(`${what} at character ${this.at}`);
  }
}

function matchesQuery(issue: Issue, query: Query): boolean {
  if (query.kind === 'ids') {
    return (
      query.ids.includes(String(issue.id)) && query.anyOf.some((one) => isOutsourced(issue, one))
    );
  }

  const updated = jiraTime(issue.fields?.updated);
  if (!isOutsourced(issue, query.outsourced) || updated === undefined) return false;
  return (query.from === undefined || updated >= query.from) && updated <= query.to;
}

function isOutsourced(issue: Issue, outsourced: Outsourced): boolean {
  const fields = issue.fields ?? {};
  const project = fields.project as { id?: unknown } | undefined;
  const assignee = fields.assignee as { accountId?: unknown } | null | undefined;
  const labels = Array.isArray(fields.labels) ? fields.labels : [];
  return (
    project?.id === outsourced.projectId &&
    assignee?.accountId === outsourced.accountId &&
    labels.some((label) => outsourced.labels.includes(label))
  );
}

function jiraTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const millis = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(millis) ? millis : undefined;
}

/** Jira's default for `search/jql` is ids only; named fields come as stored (REST JSON). */
function pickFields(issue: Issue, fields: unknown): Record<string, unknown> {
  const names = Array.isArray(fields) ? fields.filter((name) => typeof name === 'string') : [];
  const stored = issue.fields ?? {};
  const picked = Object.fromEntries(
    names.filter((name) => name in stored).map((name) => [name, stored[name]]),
  );
  return {
    id: issue.id,
    key: issue.key,
    self: issue.self,
    ...(names.length > 0 ? { fields: picked } : {}),
  };
}

function pageSize(maxResults: unknown): number {
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1) {
    return DEFAULT_RESULTS;
  }
  return Math.min(maxResults, MAX_RESULTS);
}

/** Tokens name the query they belong to, so one cannot be used with another query. */
function makeToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: digest(jql), o: offset })).toString('base64url');
}

function readToken(token: unknown, jql: string): number | undefined {
  if (token === undefined || token === null) return 0;
  if (typeof token !== 'string') return undefined;
  try {
    const { q, o } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      q?: unknown;
      o?: unknown;
    };
    return q === digest(jql) && typeof o === 'number' && Number.isInteger(o) && o >= 0
      ? o
      : undefined;
  } catch {
    return undefined;
  }
}

function digest(jql: string): string {
  return createHash('sha256').update(jql).digest('hex').slice(0, 16);
}

function error(status: number, message: string): JiraAnswer {
  return { status, body: { errorMessages: [message], errors: {} } };
}
