import type { Decision } from '../core/forwarding-rules';
import {
  decideForwarding,
  isAlreadyDelivered,
  isKeptAsDeadLetter,
  isStale,
  outsideOutsourcingProjects,
  ruledOutByPayload,
} from '../core/forwarding-rules';
import type { Change } from '../core/identify-change';
import { asRelease, identifyChange } from '../core/identify-change';
import type { IssueRecord } from '../core/issue-record';
import { outsourcedRecord } from '../core/issue-record';
import type { JiraEvent } from '../core/jira-event';
import { isCommentEvent } from '../core/jira-event';
import type { JiraComment, JiraIssue } from '../core/jira-issue';
import { issueFacts } from '../core/jira-issue';
import type { Logger } from '../core/logger';
import type { StoredConnection, StoredSettings } from '../core/settings';
import type { OutcomeSkipReason, Skipped } from './outcome';
import { report, SKIP_DETAILS, skipped } from './outcome';
import type { ForwardingDeps } from './ports';

/**
 * The two questions asked of every change, by the trigger and again by each later attempt:
 * what does the app already know (settings, the issue's record: a redelivery? stale?), and
 * what do the forwarding rules (`core/forwarding-rules.ts`) make of the issue as Jira has it
 * now. Nothing here writes anything.
 */

/** What is known before Jira is asked: the change, the settings, what tasksource was told. */
export interface Prepared {
  readonly event: JiraEvent;
  readonly change: Change;
  readonly settings: StoredSettings;
  readonly connection: StoredConnection;
  /** The issue's record as stored, whichever connection wrote it: it holds the numbering. */
  readonly stored: IssueRecord | undefined;
  /** The record if tasksource works the issue over the current connection. */
  readonly record: IssueRecord | undefined;
  readonly log: Logger;
  readonly skip: (reason: OutcomeSkipReason, detail: string) => Skipped;
}

/**
 * `known` is the issue's record when the caller has just read it. A change already numbered
 * (`known.numbered`) is past the stale check: it goes in the order it was numbered in.
 */
export async function prepare(
  event: JiraEvent,
  settings: StoredSettings,
  deps: ForwardingDeps,
  known?: { stored: IssueRecord | undefined; numbered: boolean },
): Promise<Prepared | Skipped> {
  const change = identifyChange(event, deps.installation.installationId);
  const log = deps.log.child({ eventType: event.eventType, issueId: change.issueId });
  const skip = (reason: OutcomeSkipReason, detail: string) =>
    report(log, skipped(event.eventType, change.issueId, reason, detail));
  if (event.selfGenerated) return skip('self-generated', 'the app caused this change itself');

  const connection = settings.connection;
  if (!connection) return skip('not-connected', SKIP_DETAILS['not-connected']);
  registerSecrets(log, connection);
  if (!known && outsideOutsourcingProjects(payloadFacts(event), settings)) {
    return skip('project-not-configured', SKIP_DETAILS['project-not-configured']);
  }

  const stored = known ? known.stored : await deps.records.get(change.issueId);
  const record = ofConnection(stored, connection, log);
  if (!change.provisional && isAlreadyDelivered(record, change.deliveryId)) {
    return skip('duplicate', SKIP_DETAILS.duplicate);
  }
  if (known?.numbered) return { event, change, settings, connection, stored, record, log, skip };

  if (isKeptAsDeadLetter(record, change.deliveryId)) {
    return skip('duplicate', 'this change is kept as a dead letter; an admin can resend it');
  }
  if (isStale(change.kind, event.timestamp, outsourcedRecord(record))) {
    return skip('stale', SKIP_DETAILS.stale);
  }
  if (ruledOutByPayload(event.issue.fields?.assignee, settings, outsourcedRecord(record))) {
    const reason = 'not-assigned-to-integration-account';
    return skip(reason, SKIP_DETAILS[reason]);
  }
  return { event, change, settings, connection, stored, record, log, skip };
}

/** The issue (and comment) as Jira has them now, and what the rules make of them. */
export interface Decided {
  readonly issue: JiraIssue | undefined;
  readonly comment: JiraComment | undefined;
  readonly decision: Extract<Decision, { action: 'forward' | 'release' }>;
}

/** Reads Jira as the app; a `RetriableError` (429, 5xx, network) propagates to the caller. */
export async function decide(prepared: Prepared, deps: ForwardingDeps): Promise<Decided | Skipped> {
  const { event, change, settings, skip } = prepared;
  const record = outsourcedRecord(prepared.record);

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

/**
 * The change as it is delivered: named from Jira's answer when the event named no version,
 * and with an id of its own when it releases the issue. `baseDeliveryId` is the id before any
 * release, kept with a pending delivery so a later attempt can name it either way.
 */
export function finalChange(
  prepared: Prepared,
  decided: Decided,
  deps: ForwardingDeps,
  fixed?: { baseDeliveryId: string },
): { change: Change; baseDeliveryId: string } {
  const identified = fixed
    ? { ...prepared.change, deliveryId: fixed.baseDeliveryId, provisional: false }
    : prepared.change.provisional
      ? identifyChange(prepared.event, deps.installation.installationId, {
          issueUpdated: stringField(decided.issue?.fields.updated),
          commentUpdated: decided.comment?.updated,
          invocationToken: `${deps.now()}:${deps.random()}`,
        })
      : prepared.change;
  const change = decided.decision.action === 'release' ? asRelease(identified) : identified;
  return { change, baseDeliveryId: identified.deliveryId };
}

/**
 * The record of what tasksource was told, if it was told over the current connection. After a
 * switch to another tasksource company the old records stay behind, unused but for numbering.
 */
function ofConnection(
  stored: IssueRecord | undefined,
  connection: StoredConnection,
  log: Logger,
): IssueRecord | undefined {
  if (!stored || stored.connectionId === connection.connectionId) return stored;

  log.info('Ignoring the record of an earlier tasksource connection');
  return undefined;
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

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function payloadFacts(event: JiraEvent) {
  const changelog = isCommentEvent(event) ? undefined : event.changelog;
  return { projectId: event.issue.fields?.project?.id, changelog };
}

function registerSecrets(log: Logger, connection: StoredConnection): void {
  log.redactor.addSecret(connection.webhookUrl);
  log.redactor.addSecret(connection.signingSecret);
}

/** The issue's project as best known: Jira's answer, then the event, then the record. */
export function projectIdOf(prepared: Prepared, issue?: JiraIssue): string {
  const fromEvent = (prepared.event.issue.fields as { project?: { id?: unknown } } | undefined)
    ?.project?.id;
  if (issue) return issue.fields.project.id;
  if (typeof fromEvent === 'string') return fromEvent;
  return prepared.record?.projectId ?? '';
}
