import { buildDeliveryRequest } from '../core/build-delivery-request';
import { PermanentError, RetriableError } from '../core/errors';
import type { Decision, SkipReason } from '../core/forwarding-rules';
import { decideForwarding, isAlreadyDelivered } from '../core/forwarding-rules';
import type { Change } from '../core/identify-change';
import { asRelease, identifyChange } from '../core/identify-change';
import type { IssueRecord } from '../core/issue-record';
import { rememberDelivery } from '../core/issue-record';
import type { JiraEvent } from '../core/jira-event';
import { parseJiraEvent, readEventType, readIssueId } from '../core/jira-event';
import type { JiraComment, JiraIssue } from '../core/jira-issue';
import { issueFacts } from '../core/jira-issue';
import type { Logger } from '../core/logger';
import type { Site } from '../core/map-webhook-payload';
import { mapWebhookPayload } from '../core/map-webhook-payload';
import { isRetriableStatus, requestedDelaySeconds } from '../core/retry-policy';
import type { StoredConnection, StoredSettings } from '../core/settings';
import type { WebhookEvent } from '../core/webhook-payload';
import { outboundPayloadSchema } from '../core/webhook-payload';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { ForwardingDeps } from './ports';

/**
 * One Jira event, start to finish: parse, recognise a redelivery, read the issue from Jira,
 * apply the forwarding rules (`core/forwarding-rules.ts`), build the admin-webhook body, sign
 * it, POST it, remember what tasksource now knows. Skips are return values; failures worth
 * retrying are thrown as `RetriableError` and mapped to Forge's retry in `src/entry/`.
 */

export type ForwardOutcome =
  | {
      readonly outcome: 'delivered';
      readonly deliveryId: string;
      readonly webhookEvent: WebhookEvent;
      readonly state: 'outsourced' | 'released';
      readonly status: number;
    }
  | {
      readonly outcome: 'skipped';
      readonly eventType: string | undefined;
      readonly issueId: string | undefined;
      readonly reason: OutcomeSkipReason;
      readonly detail: string;
    };

export type OutcomeSkipReason =
  | SkipReason
  | 'invalid-event'
  | 'unknown-event-type'
  | 'self-generated'
  | 'issue-unreadable'
  | 'comment-not-found'
  | 'comment-unreadable'
  | 'in-flight';

export interface Invocation {
  /** Forge's `retryContext.retryCount`; 0 on the first attempt. */
  readonly retry: number;
  /** Identifies this invocation's claim on a delivery across its own retries. */
  readonly claimToken: string;
  /** True when a retry arrives without our claim token (a platform retry after a timeout). */
  readonly mayTakeOverClaim: boolean;
}

export async function forwardJiraEvent(
  input: unknown,
  invocation: Invocation,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const parsed = parseJiraEvent(input);
  if (!parsed.ok) {
    const detail = describeIssues(parsed.issues);
    const outcome = skipped(readEventType(input), readIssueId(input), parsed.reason, detail);
    return report(deps.log, outcome);
  }

  const prepared = await prepare(parsed.event, deps);
  if (isSkipped(prepared)) return prepared;

  const decided = await decide(prepared, deps);
  if (isSkipped(decided)) return decided;

  return deliverChange(prepared, decided, invocation, deps);
}

type Skipped = Extract<ForwardOutcome, { outcome: 'skipped' }>;

/** What is known before Jira is asked: the change, the settings, what tasksource was told. */
interface Prepared {
  readonly event: JiraEvent;
  readonly change: Change;
  readonly settings: StoredSettings;
  readonly connection: StoredConnection;
  readonly record: IssueRecord | undefined;
  readonly log: Logger;
  readonly skip: (reason: OutcomeSkipReason, detail: string) => Skipped;
}

async function prepare(event: JiraEvent, deps: ForwardingDeps): Promise<Prepared | Skipped> {
  const change = identifyChange(event, deps.installation.installationId);
  const log = deps.log.child({ eventType: event.eventType, issueId: change.issueId });
  const skip = (reason: OutcomeSkipReason, detail: string) =>
    report(log, skipped(event.eventType, change.issueId, reason, detail));
  if (event.selfGenerated) return skip('self-generated', 'the app caused this change itself');

  const settings = await deps.settings.load();
  const connection = settings.connection;
  if (!connection) return skip('not-connected', SKIP_DETAILS['not-connected']);
  registerSecrets(log, connection);

  const record = await loadRecord(change.issueId, connection, deps, log);
  if (!change.provisional && isAlreadyDelivered(record, change.deliveryId)) {
    return skip('duplicate', SKIP_DETAILS.duplicate);
  }
  return { event, change, settings, connection, record, log, skip };
}

/** The issue (and comment) as Jira has them now, and what the rules make of them. */
interface Decided {
  readonly issue: JiraIssue | undefined;
  readonly comment: JiraComment | undefined;
  readonly decision: Extract<Decision, { action: 'forward' | 'release' }>;
}

async function decide(prepared: Prepared, deps: ForwardingDeps): Promise<Decided | Skipped> {
  const { event, change, record, settings, skip } = prepared;

  const read = await readIssueUnlessDeleted(event, change, deps);
  if (read.kind === 'unreadable') return skip('issue-unreadable', read.detail);
  const issue = read.kind === 'found' ? read.value : undefined;

  const facts = issue ? issueFacts(issue) : 'gone';
  const decision = decideForwarding({ change: change.kind, issue: facts, record, settings });
  if (decision.action === 'skip') return skip(decision.reason, SKIP_DETAILS[decision.reason]);

  const comment = await readCommentIfForwarded(event, decision, deps);
  if (comment.kind === 'gone') return skip('comment-not-found', 'the comment no longer exists');
  if (comment.kind === 'unreadable') return skip('comment-unreadable', comment.detail);

  return { issue, comment: comment.kind === 'found' ? comment.value : undefined, decision };
}

async function deliverChange(
  prepared: Prepared,
  decided: Decided,
  invocation: Invocation,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { event, record, settings, connection, skip } = prepared;
  const { issue, comment, decision } = decided;

  const change = finalChange(prepared, decided, invocation, deps);
  if (change.provisional && isAlreadyDelivered(record, change.deliveryId)) {
    return skip('duplicate', SKIP_DETAILS.duplicate);
  }
  const log = prepared.log.child({ deliveryId: change.deliveryId });

  const site = siteOf(settings, deps, issue);
  const body = mapWebhookPayload({
    event,
    change,
    decision,
    issue,
    comment,
    record,
    site,
    now: deps.now(),
  });
  const raw = serialise(body);

  const claim = await deps.records.claim(
    claimKeyFor(change, decision, record),
    invocation.claimToken,
  );
  if (!claim.claimed && claim.holder !== invocation.claimToken && !invocation.mayTakeOverClaim) {
    const releasing = decision.action === 'release';
    return skip(
      'in-flight',
      releasing
        ? 'the issue is being released already'
        : 'another event for this change is delivering it',
    );
  }

  const status = await send(raw, change, connection, invocation, deps, log);
  await rememberOutcome(change, decision, record, issue, connection, deps);
  log.info('Delivered to tasksource', {
    webhookEvent: body.webhookEvent,
    state: decision.state,
    status,
  });
  const { deliveryId } = change;
  return {
    outcome: 'delivered',
    deliveryId,
    webhookEvent: body.webhookEvent,
    state: decision.state,
    status,
  };
}

/**
 * The change as it is delivered: named from Jira's answer when the event named no version, and
 * with an id of its own when it releases the issue.
 */
function finalChange(
  prepared: Prepared,
  decided: Decided,
  invocation: Invocation,
  deps: ForwardingDeps,
): Change {
  const identified = prepared.change.provisional
    ? identifyChange(prepared.event, deps.installation.installationId, {
        issueUpdated: stringField(decided.issue?.fields.updated),
        commentUpdated: decided.comment?.updated,
        invocationToken: invocation.claimToken,
      })
    : prepared.change;
  return decided.decision.action === 'release' ? asRelease(identified) : identified;
}

function isSkipped<T extends object>(value: T | Skipped): value is Skipped {
  return 'outcome' in value && value.outcome === 'skipped';
}

/**
 * The record of what tasksource was told, if it was told over the current connection. After a
 * switch to another tasksource company the old records stay behind, unused.
 */
async function loadRecord(
  issueId: string,
  connection: StoredConnection,
  deps: ForwardingDeps,
  log: Logger,
): Promise<IssueRecord | undefined> {
  const record = await deps.records.get(issueId);
  if (!record || record.connectionId === connection.connectionId) return record;

  log.info('Ignoring the record of an earlier tasksource connection');
  return undefined;
}

/** One claim per change; a release claims the issue's episode, so it is released only once. */
function claimKeyFor(change: Change, decision: Decision, record: IssueRecord | undefined): string {
  if (decision.action === 'release' && record) return `release-${record.episode}`;
  return change.deliveryId;
}

type IssueRead =
  { kind: 'found'; value: JiraIssue } | { kind: 'gone' } | { kind: 'unreadable'; detail: string };

/** A deleted issue cannot be read back; every other event reads the issue once, as the app. */
async function readIssueUnlessDeleted(
  event: JiraEvent,
  change: Change,
  deps: ForwardingDeps,
): Promise<IssueRead> {
  if (change.kind === 'issue-deleted') return { kind: 'gone' };

  const read = await deps.jira.readIssue(event.issue.id);
  if (read.kind === 'found' && read.value.id !== event.issue.id) {
    return {
      kind: 'unreadable',
      detail: `Jira answered with issue ${read.value.id} for ${event.issue.id}`,
    };
  }
  return read;
}

type CommentRead =
  | { kind: 'found'; value: JiraComment }
  | { kind: 'none' }
  | { kind: 'gone' }
  | { kind: 'unreadable'; detail: string };

/** Only a forwarded comment or comment edit needs its wiki-markup body from Jira. */
async function readCommentIfForwarded(
  event: JiraEvent,
  decision: Decision,
  deps: ForwardingDeps,
): Promise<CommentRead> {
  if (decision.action !== 'forward' || event.eventType !== 'avi:jira:commented:issue') {
    return { kind: 'none' };
  }

  const read = await deps.jira.readComment(event.issue.id, event.comment.id);
  if (read.kind === 'found' && read.value.id !== event.comment.id) {
    return {
      kind: 'unreadable',
      detail: `Jira answered with comment ${read.value.id} for ${event.comment.id}`,
    };
  }
  return read;
}

/** The exact body string to sign and send, after checking it fits the webhook schema. */
function serialise(payload: unknown): string {
  const checked = outboundPayloadSchema.safeParse(payload);
  if (!checked.success) {
    const detail = describeIssues(toFieldIssues(checked.error));
    throw new PermanentError(
      `[mapping] Built a body that does not fit the webhook schema: ${detail}`,
    );
  }

  // The built object, not zod's copy of it: zod would reorder Jira's fields.
  return JSON.stringify(payload);
}

async function send(
  body: string,
  change: Change,
  connection: StoredConnection,
  invocation: Invocation,
  deps: ForwardingDeps,
  log: Logger,
): Promise<number> {
  const request = buildDeliveryRequest({
    body,
    deliveryId: change.deliveryId,
    retry: invocation.retry,
    nowMillis: deps.now(),
    signingSecret: connection.signingSecret,
  });
  const response = await deps.tasksource.send(connection.webhookUrl, request);
  if (response.status >= 200 && response.status <= 299) return response.status;

  log.warn('tasksource did not accept the delivery', {
    status: response.status,
    retry: invocation.retry,
  });
  if (isRetriableStatus(response.status)) {
    throw new RetriableError(`[delivery] tasksource answered ${response.status}`, {
      retryAfterSeconds: requestedDelaySeconds((name) => response.header(name), deps.now()),
      rateLimited: response.status === 429,
    });
  }
  throw new PermanentError(
    `[delivery] tasksource answered ${response.status}; not retried (only 408, 429 and 5xx are)`,
  );
}

async function rememberOutcome(
  change: Change,
  decision: Extract<Decision, { action: 'forward' | 'release' }>,
  record: IssueRecord | undefined,
  issue: JiraIssue | undefined,
  connection: StoredConnection,
  deps: ForwardingDeps,
): Promise<void> {
  if (decision.action === 'release') {
    await deps.records.remove(change.issueId);
    return;
  }

  const facts = {
    connectionId: connection.connectionId,
    issueId: change.issueId,
    issueKey: issue?.key ?? record?.issueKey ?? change.issueId,
    projectId: issue?.fields.project.id ?? record?.projectId ?? '',
    projectKey: issue?.fields.project.key ?? record?.projectKey ?? '',
    labels: [...decision.labels],
    updatedAt: deps.now(),
    state: 'outsourced' as const,
    sequence: record?.sequence ?? 0,
    changedAt: null,
  };
  await deps.records.put(rememberDelivery(record, facts, change.deliveryId));
}

function siteOf(
  settings: StoredSettings,
  deps: ForwardingDeps,
  issue: JiraIssue | undefined,
): Site {
  const fromIssue = issue?.self && URL.canParse(issue.self) ? new URL(issue.self).origin : '';
  return { cloudId: deps.installation.cloudId, siteUrl: settings.connection?.siteUrl ?? fromIssue };
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function registerSecrets(log: Logger, connection: StoredConnection): void {
  log.redactor.addSecret(connection.webhookUrl);
  log.redactor.addSecret(connection.signingSecret);
}

const SKIP_DETAILS: Record<SkipReason, string> = {
  'project-not-configured': 'the issue is in a project with no tasksource label',
  'project-disabled': 'forwarding is disabled for this project',
  'not-assigned-to-integration-account': 'the issue is not assigned to the integration account',
  'no-mapped-label': "the issue carries none of its project's tasksource labels",
  'only-a-lookalike-label':
    "the issue's label differs from its project's tasksource label only by case or look-alike characters",
  'not-connected': 'tasksource is not connected yet',
  'issue-not-found': 'Jira has no such issue, or the app cannot see it',
  duplicate: 'this change was already delivered',
};

function skipped(
  eventType: string | undefined,
  issueId: string | undefined,
  reason: OutcomeSkipReason,
  detail: string,
): Extract<ForwardOutcome, { outcome: 'skipped' }> {
  return { outcome: 'skipped', eventType, issueId, reason, detail };
}

function report<T extends Extract<ForwardOutcome, { outcome: 'skipped' }>>(
  log: Logger,
  outcome: T,
): T {
  log.info('Not forwarded', { reason: outcome.reason, detail: outcome.detail });
  return outcome;
}
