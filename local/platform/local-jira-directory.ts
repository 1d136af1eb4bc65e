import type { JiraAnswer } from './local-jira';

/**
 * The parts of Jira's REST API v3 the settings pages read: users, assignability, labels,
 * projects, the calling user's permissions, and an issue count for the app's own JQL. Users
 * and projects come from the scenario (`jira.users`, `jira.projects`) and from the issues
 * themselves; permissions belong to whoever a `resolve` step acts as.
 */

export interface DirectoryUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly emailAddress?: string;
}

export interface DirectoryProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  /** Account ids that can be assigned issues; everyone when not given. */
  readonly assignable?: readonly string[];
}

export interface ActingUser {
  readonly accountId: string;
  readonly permissions: readonly string[];
}

/** Who made a request: the app, or (for `asUser()`) the user the invocation runs for. */
export interface Caller {
  readonly provider: string;
  readonly user: ActingUser | undefined;
}

type Issue = Record<string, unknown> & { fields?: Record<string, unknown> };

export class LocalJiraDirectory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly projects = new Map<string, DirectoryProject>();
  private readonly labels = new Set<string>();

  constructor(private readonly issues: () => Issue[]) {}

  addUsers(users: readonly DirectoryUser[]): void {
    for (const user of users) this.users.set(user.accountId, user);
  }

  addProjects(projects: Record<string, Omit<DirectoryProject, 'id'>>): void {
    for (const [id, project] of Object.entries(projects)) this.projects.set(id, { id, ...project });
  }

  addLabels(labels: readonly string[]): void {
    for (const label of labels) this.labels.add(label);
  }

  /** A project by id, as Jira knows it (from the scenario or its issues). */
  project(id: string): DirectoryProject | undefined {
    return this.allProjects().find((candidate) => candidate.id === id);
  }

  /** A project by id or key, as Jira's `{projectIdOrKey}` paths find it (keys are exact). */
  findProject(idOrKey: string): DirectoryProject | undefined {
    return this.allProjects().find(
      (candidate) => candidate.id === idOrKey || candidate.key === idOrKey,
    );
  }

  handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    caller: Caller,
  ): JiraAnswer | undefined {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /rest/api/3/mypermissions':
        // The app's own permissions say nothing about the person at the page: the local Jira
        // refuses to answer that question as the app, so a check made the wrong way fails.
        if (caller.provider !== 'user') {
          return forbidden('mypermissions is answered for users (asUser) only');
        }
        return this.myPermissions(query, caller);
      case 'GET /rest/api/3/user':
        return this.user(query.get('accountId') ?? '');
      case 'GET /rest/api/3/user/search':
        return ok(this.searchUsers(query.get('query') ?? ''));
      case 'GET /rest/api/3/user/assignable/search':
        return this.assignable(query);
      case 'GET /rest/api/3/label':
        return this.labelPage(query);
      case 'GET /rest/api/3/project/search':
        return this.projectPage(query.getAll('id'));
      case 'POST /rest/api/3/search/approximate-count':
        return this.count(body);
    }
    return undefined;
  }

  private myPermissions(query: URLSearchParams, caller: Caller): JiraAnswer {
    const asked = (query.get('permissions') ?? '').split(',').filter(Boolean);
    if (asked.length === 0) return badRequest('The permissions parameter is required.');

    const held = new Set(caller.user?.permissions ?? []);
    const permissions = Object.fromEntries(
      asked.map((key) => [
        key,
        { id: key, key, name: key, type: 'PROJECT', havePermission: held.has(key) },
      ]),
    );
    return ok({ permissions });
  }

  private user(accountId: string): JiraAnswer {
    const user = this.allUsers().find((candidate) => candidate.accountId === accountId);
    return user
      ? ok(view(user))
      : notFound(`Specified user does not exist or you do not have required permissions`);
  }

  private searchUsers(query: string): Record<string, unknown>[] {
    const needle = query.trim().toLowerCase();
    if (!needle) return [];

    return this.allUsers()
      .filter(
        (user) =>
          user.displayName.toLowerCase().startsWith(needle) ||
          (user.emailAddress?.toLowerCase().startsWith(needle) ?? false) ||
          user.displayName
            .toLowerCase()
            .split(/\s+/)
            .some((word) => word.startsWith(needle)),
      )
      .map(view);
  }

  private assignable(query: URLSearchParams): JiraAnswer {
    const project = this.allProjects().find(
      (candidate) =>
        candidate.key === query.get('project') || candidate.id === query.get('project'),
    );
    if (!project) return notFound(`No project could be found with key '${query.get('project')}'.`);

    const accountId = query.get('accountId');
    const users = this.allUsers().filter(
      (user) =>
        (!accountId || user.accountId === accountId) &&
        (!project.assignable || project.assignable.includes(user.accountId)),
    );
    return ok(users.map(view));
  }

  private labelPage(query: URLSearchParams): JiraAnswer {
    const all = [...new Set([...this.labels, ...this.issues().flatMap(labelsOf)])].sort();
    const startAt = Number(query.get('startAt') ?? 0);
    const maxResults = Math.min(Number(query.get('maxResults') ?? 1000), 1000);
    const values = all.slice(startAt, startAt + maxResults);
    return ok({
      maxResults,
      startAt,
      total: all.length,
      isLast: startAt + values.length >= all.length,
      values,
    });
  }

  private projectPage(ids: string[]): JiraAnswer {
    const values = this.allProjects()
      .filter((project) => ids.length === 0 || ids.includes(project.id))
      .map(({ id, key, name }) => ({ id, key, name }));
    return ok({ startAt: 0, maxResults: 50, total: values.length, isLast: true, values });
  }

  /**
   * Understands the one JQL form the app writes (`outsourcedIssuesJql`); anything else is a
   * 400.
   */
  private count(body: unknown): JiraAnswer {
    const jql = String((body as { jql?: unknown } | undefined)?.jql ?? '');
    const match =
      /^project = "([^"]+)" AND assignee = "((?:[^"\\]|\\.)+)" AND labels in \((.*)\)$/.exec(jql);
    if (!match)
      return badRequest(
        `Error in the JQL Query: the local Jira understands only the app's own query`,
      );

    const [, projectId, accountId, labelList] = match;
    const labels = [...(labelList ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((found) =>
      unescape(found[1] ?? ''),
    );
    const count = this.issues().filter((issue) => {
      const fields = issue.fields ?? {};
      const project = fields.project as { id?: string } | undefined;
      const assignee = fields.assignee as { accountId?: string } | null | undefined;
      return (
        project?.id === projectId &&
        assignee?.accountId === unescape(accountId ?? '') &&
        labelsOf(issue).some((label) => labels.includes(label))
      );
    }).length;
    return ok({ count });
  }

  private allUsers(): DirectoryUser[] {
    const fromIssues = this.issues().flatMap((issue) =>
      ['assignee', 'reporter', 'creator'].map(
        (field) => issue.fields?.[field] as Partial<DirectoryUser> | null | undefined,
      ),
    );
    const found = new Map<string, DirectoryUser>();
    for (const user of fromIssues) {
      if (user?.accountId)
        found.set(user.accountId, {
          accountId: user.accountId,
          displayName: user.displayName ?? user.accountId,
        });
    }
    for (const user of this.users.values()) found.set(user.accountId, user);
    return [...found.values()];
  }

  private allProjects(): DirectoryProject[] {
    const found = new Map<string, DirectoryProject>();
    for (const issue of this.issues()) {
      const project = issue.fields?.project as
        { id?: string; key?: string; name?: string } | undefined;
      if (project?.id && project.key)
        found.set(project.id, {
          id: project.id,
          key: project.key,
          name: project.name ?? project.key,
        });
    }
    for (const project of this.projects.values()) found.set(project.id, project);
    return [...found.values()];
  }
}

function labelsOf(issue: Issue): string[] {
  const labels = issue.fields?.labels;
  return Array.isArray(labels)
    ? labels.filter((label): label is string => typeof label === 'string')
    : [];
}

function view(user: DirectoryUser): Record<string, unknown> {
  return {
    accountId: user.accountId,
    accountType: 'atlassian',
    displayName: user.displayName,
    active: true,
    ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}),
  };
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function ok(body: unknown): JiraAnswer {
  return { status: 200, body };
}

function notFound(message: string): JiraAnswer {
  return { status: 404, body: { errorMessages: [message], errors: {} } };
}

function forbidden(message: string): JiraAnswer {
  return { status: 403, body: { errorMessages: [message], errors: {} } };
}

function badRequest(message: string): JiraAnswer {
  return { status: 400, body: { errorMessages: [message], errors: {} } };
}
