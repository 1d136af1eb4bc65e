import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builders for scenario pieces, on the real shapes: issues are the recorded admin-webhook
 * capture's issue (REST API v2) with the fields a test cares about overridden.
 */

export const SITE = 'https://example.atlassian.net';
export const INTEGRATION = '712020:00000000-0000-4000-8000-0000000000ca';
export const ALEX = '712020:00000000-0000-4000-8000-000000000001';
export const SECRET = 'whsec_BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY=';
export const WEBHOOK_URL = 'https://api.tasksource.io/jira?companyId=test-company-7';
export const PROJECT = '10000';
export const OTHER_PROJECT = '10001';

const capture = JSON.parse(
  readFileSync(
    join(__dirname, '../fixtures/jira-webhooks/webhook-cloud-jira-issue_created.json'),
    'utf8',
  ),
) as { issue: Record<string, unknown> & { fields: Record<string, unknown> } };

export interface IssueOptions {
  id?: string;
  key?: string;
  projectId?: string;
  assignee?: string | null;
  labels?: string[];
  description?: string;
  comments?: Record<string, unknown>[];
  updated?: string;
}

export function makeIssue(options: IssueOptions = {}): Record<string, unknown> {
  const id = options.id ?? '10021';
  const key = options.key ?? 'KAN-22';
  const projectId = options.projectId ?? PROJECT;
  const assignee = options.assignee === undefined ? INTEGRATION : options.assignee;
  const base = structuredClone(capture.issue);

  return {
    ...base,
    id,
    key,
    self: `${SITE}/rest/api/2/issue/${id}`,
    fields: {
      ...base.fields,
      project: {
        ...(base.fields.project as object),
        id: projectId,
        key: projectId === PROJECT ? 'KAN' : 'OPS',
      },
      assignee:
        assignee === null ? null : { accountId: assignee, displayName: 'Someone', active: true },
      labels: options.labels ?? ['acme-web'],
      description: options.description ?? 'Add back button navigation to all list pages.',
      updated: options.updated ?? '2026-12-01T09:20:00.000+0000',
      comment: { comments: options.comments ?? [], total: options.comments?.length ?? 0 },
    },
  };
}

export function makeComment(
  options: {
    id?: string;
    issueId?: string;
    body?: string;
    created?: string;
    updated?: string;
  } = {},
) {
  const id = options.id ?? '10100';
  const created = options.created ?? '2026-12-01T09:21:00.000+0000';
  return {
    self: `${SITE}/rest/api/2/issue/${options.issueId ?? '10021'}/comment/${id}`,
    id,
    author: { accountId: ALEX, displayName: 'Alex Example' },
    body: options.body ?? 'Looks good, see [~accountid:' + ALEX + ']',
    updateAuthor: { accountId: ALEX, displayName: 'Alex Example' },
    created,
    updated: options.updated ?? created,
    jsdPublic: true,
  };
}

type EventType =
  | 'avi:jira:created:issue'
  | 'avi:jira:updated:issue'
  | 'avi:jira:assigned:issue'
  | 'avi:jira:deleted:issue'
  | 'avi:jira:commented:issue'
  | 'avi:jira:deleted:comment';

/** A trigger event as Forge sends it: thin issue fields, users as `{accountId}`. */
export function makeEvent(
  eventType: EventType,
  issue: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const fields = (issue.fields ?? {}) as Record<string, unknown>;
  const project = (fields.project ?? {}) as Record<string, unknown>;
  const assignee = fields.assignee as { accountId?: string } | null | undefined;
  return {
    eventType,
    timestamp: '1796119200000',
    atlassianId: ALEX,
    issue: {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: fields.summary,
        project: { id: project.id, key: project.key },
        assignee: assignee ? { accountId: assignee.accountId } : null,
        updated: fields.updated,
      },
    },
    ...extra,
  };
}

export function makeCommentEvent(
  eventType: 'avi:jira:commented:issue' | 'avi:jira:deleted:comment',
  issue: Record<string, unknown>,
  comment: ReturnType<typeof makeComment>,
): Record<string, unknown> {
  return makeEvent(eventType, issue, {
    comment: {
      id: comment.id,
      author: { accountId: ALEX },
      updateAuthor: { accountId: ALEX },
      body: {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ADF body' }] }],
      },
      created: comment.created,
      updated: comment.updated,
    },
  });
}

export function assigneeChange(from: string | null, to: string | null, id = '10301') {
  return {
    id,
    items: [
      {
        field: 'assignee',
        fieldtype: 'jira',
        fieldId: 'assignee',
        from,
        fromString: from && 'From',
        to,
        toString: to && 'To',
      },
    ],
  };
}

/** A move between projects, as the changelog of Jira's `issue_moved` names it. */
export function projectChange(from: string, to: string, id = '10302') {
  return {
    id,
    items: [
      {
        field: 'project',
        fieldtype: 'jira',
        fieldId: 'project',
        from,
        fromString: `Project ${from}`,
        to,
        toString: `Project ${to}`,
      },
    ],
  };
}

export function makeSettings(overrides: Record<string, unknown> = {}) {
  return {
    integrationAccountId: INTEGRATION,
    webhookUrl: WEBHOOK_URL,
    signingSecret: SECRET,
    projects: { [PROJECT]: { labels: ['acme-web'], enabled: true } },
    ...overrides,
  };
}
