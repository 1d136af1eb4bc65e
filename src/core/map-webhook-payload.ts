import { adfToText } from './adf-to-text';
import type { Decision } from './forwarding-rules';
import type { Change } from './identify-change';
import type { IssueRecord } from './issue-record';
import { namesOtherIssues, scrubOtherIssues } from './scrub-other-issues';
import type { Changelog, EventComment, JiraEvent } from './jira-event';
import { isCommentEvent } from './jira-event';
import type { JiraComment, JiraIssue } from './jira-issue';
import type { WebhookEvent, WebhookPayload } from './webhook-payload';

/**
 * Builds the body Jira's admin webhook would have sent for a change, from the event and the
 * issue and comment as read from Jira (REST API v2, so text fields are wiki markup), plus the
 * `tasksource` block. Released issues carry only what tasksource already knew: once an issue is
 * no longer outsourced, its new content is no longer tasksource's business.
 */

export interface Site {
  readonly cloudId: string;
  readonly siteUrl: string;
}

export interface MappingInput {
  readonly event: JiraEvent;
  readonly change: Change;
  readonly decision: Extract<Decision, { action: 'forward' | 'release' }>;
  /** Absent when the issue is gone. */
  readonly issue: JiraIssue | undefined;
  /** Present for forwarded comment and comment-edit events. */
  readonly comment: JiraComment | undefined;
  readonly record: IssueRecord | undefined;
  readonly site: Site;
  readonly now: number;
  /** The change's number among the issue's changes (`tasksource.sequence`). */
  readonly sequence: number;
}

/** Fields a comment event's issue carries in Jira's captures. */
const SUMMARY_FIELDS = ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'];
/** Changelog fields that explain a release; other edits made in the same change stay in Jira. */
const RELEASE_CHANGELOG_FIELDS = new Set(['assignee', 'labels', 'project', 'key', 'issuekey']);
/** Fields Jira's issue webhooks never carry; comments travel in their own events. */
const OMITTED_FIELDS = new Set(['comment', 'worklog']);

export function mapWebhookPayload(input: MappingInput): WebhookPayload {
  const { event, change, decision, site } = input;
  const webhookEvent = webhookEventFor(input);
  const released = decision.action === 'release';

  const body: WebhookPayload = {
    timestamp: event.timestamp ?? input.now,
    webhookEvent,
    ...issueEventTypeName(webhookEvent, event),
    ...userOf(event, site),
    issue: released ? releasedIssue(input) : forwardedIssue(input),
    ...changelogOf(input, webhookEvent),
    ...commentOf(input, webhookEvent),
    tasksource: {
      state: decision.state,
      labels: [...decision.labels],
      eventType: event.eventType,
      cloudId: site.cloudId,
      siteUrl: site.siteUrl,
      deliveryId: change.deliveryId,
      sequence: input.sequence,
      issueId: change.issueId,
      ...(decision.action === 'release' ? { reason: decision.reason } : {}),
      ...((event as { tasksourceReconciled?: unknown }).tasksourceReconciled === true
        ? { reconciled: true as const }
        : {}),
    },
  };
  return body;
}

function webhookEventFor({ change, decision, event, comment }: MappingInput): WebhookEvent {
  if (decision.action === 'release') {
    return change.kind === 'issue-deleted' ? 'jira:issue_deleted' : 'jira:issue_updated';
  }

  switch (change.kind) {
    case 'issue-created':
      return 'jira:issue_created';
    case 'issue-updated':
      return 'jira:issue_updated';
    case 'issue-deleted':
      return 'jira:issue_deleted';
    case 'comment':
      return isCommentEvent(event) && comment && isEdited(event.comment, comment)
        ? 'comment_updated'
        : 'comment_created';
    case 'comment-deleted':
      return 'comment_deleted';
  }
}

function issueEventTypeName(webhookEvent: WebhookEvent, event: JiraEvent) {
  if (webhookEvent.startsWith('comment_')) return {};
  if (webhookEvent === 'jira:issue_created') return { issue_event_type_name: 'issue_created' };
  if (webhookEvent === 'jira:issue_deleted') return { issue_event_type_name: 'issue_deleted' };
  if (isCommentEvent(event)) return { issue_event_type_name: 'issue_updated' };

  const assigned =
    event.eventType === 'avi:jira:assigned:issue' ||
    (event.changelog?.items ?? []).some((item) => (item.fieldId ?? item.field) === 'assignee');
  const name = event.jiraEventTypeName ?? (assigned ? 'issue_assigned' : 'issue_updated');
  return { issue_event_type_name: name };
}

function userOf(event: JiraEvent, site: Site) {
  if (isCommentEvent(event) || !event.atlassianId) return {};

  const accountId = event.atlassianId;
  const self = `${site.siteUrl}/rest/api/2/user?accountId=${encodeURIComponent(accountId)}`;
  return { user: { self, accountId } };
}

function forwardedIssue({ issue, event, site }: MappingInput): WebhookPayload['issue'] {
  if (!issue) throw new Error('[mapping] A forwarded change needs the issue as read from Jira');

  const fields = isCommentEvent(event)
    ? scrubOtherIssues(pick(issue.fields, SUMMARY_FIELDS))
    : scrubOtherIssues(issue.fields, OMITTED_FIELDS);
  const self = issue.self ?? `${site.siteUrl}/rest/api/2/issue/${issue.id}`;
  return { id: issue.id, self, key: issue.key, fields } as WebhookPayload['issue'];
}

/**
 * A released issue is named as tasksource knew it, from the app's record: its id, the key and
 * project it had when it was last delivered. What it became since stays in Jira.
 */
function releasedIssue({ change, record, event, site }: MappingInput): WebhookPayload['issue'] {
  const id = change.issueId;
  const key = record?.issueKey ?? event.issue.key ?? id;
  const project = record?.projectKey
    ? { project: { id: record.projectId, key: record.projectKey } }
    : {};

  return { id, self: `${site.siteUrl}/rest/api/2/issue/${id}`, key, fields: { ...project } };
}

function changelogOf({ event, decision }: MappingInput, webhookEvent: WebhookEvent) {
  if (webhookEvent !== 'jira:issue_updated' || isCommentEvent(event) || !event.changelog) return {};

  const released = decision.action === 'release';
  const items = event.changelog.items
    .filter((item) => !namesOtherIssues(item))
    .filter((item) => !released || RELEASE_CHANGELOG_FIELDS.has(fieldIdOf(item)))
    .map((item) => ({
      ...item,
      from: item.from ?? null,
      fromString: item.fromString ?? null,
      // A release says what the issue was; what it is now (say, its new assignee) stays in Jira.
      to: released ? null : (item.to ?? null),
      toString: released ? null : (item.toString ?? null),
      ...(released && 'tmpToAccountId' in item ? { tmpToAccountId: null } : {}),
    }));
  if (items.length === 0) return {};

  return { changelog: { ...(event.changelog.id ? { id: event.changelog.id } : {}), items } };
}

function commentOf(input: MappingInput, webhookEvent: WebhookEvent) {
  const { event, comment, site, now } = input;
  if (!webhookEvent.startsWith('comment_') || !isCommentEvent(event)) return {};

  if (comment) {
    const self = comment.self ?? commentSelf(site, event.issue.id, comment.id);
    const created = comment.created ?? jiraDate(now);
    const body = { ...comment, self, created, updated: comment.updated ?? created };
    return { comment: body };
  }

  return { comment: deletedComment(event.comment, site, event.issue.id, event.timestamp ?? now) };
}

/** Jira sends one event for both; an edit is a comment updated after it was created. */
function isEdited(fromEvent: EventComment, fromJira: JiraComment): boolean {
  const created = fromEvent.created ?? fromJira.created;
  const updated = fromEvent.updated ?? fromJira.updated;
  if (!created || !updated) return false;

  return Date.parse(normaliseJiraDate(updated)) > Date.parse(normaliseJiraDate(created));
}

function deletedComment(comment: EventComment, site: Site, issueId: string, at: number) {
  const created = comment.created ?? jiraDate(at);
  return {
    self: commentSelf(site, issueId, comment.id),
    id: comment.id,
    ...(comment.author ? { author: { accountId: comment.author.accountId } } : {}),
    body: adfToText(comment.body ?? ''),
    created,
    updated: comment.updated ?? created,
  };
}

function commentSelf(site: Site, issueId: string, commentId: string): string {
  return `${site.siteUrl}/rest/api/2/issue/${issueId}/comment/${commentId}`;
}

function fieldIdOf(item: Changelog['items'][number]): string {
  return (item.fieldId ?? item.field).toLowerCase();
}

/** Jira writes `2019-02-15T19:11:18.321-0800`; `Date.parse` wants the offset as `-08:00`. */
function normaliseJiraDate(value: string): string {
  return value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}

function jiraDate(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('Z', '+0000');
}

function pick(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in fields).map((key) => [key, fields[key]]));
}
