import { buildDeliveryRequest } from '../core/build-delivery-request';
import { PermanentError, RetriableError } from '../core/errors';
import { isAlreadyDelivered } from '../core/forwarding-rules';
import type { DeliveryLogEntry } from '../core/delivery-log';
import type { Change } from '../core/identify-change';
import type { IssueRecord } from '../core/issue-record';
import { rememberDelivery } from '../core/issue-record';
import type { JiraIssue } from '../core/jira-issue';
import type { Site } from '../core/map-webhook-payload';
import { mapWebhookPayload } from '../core/map-webhook-payload';
import type { PendingDelivery } from '../core/pending-delivery';
import { isRetriableStatus, requestedDelaySeconds } from '../core/retry-policy';
import type { WebhookEvent } from '../core/webhook-payload';
import { outboundPayloadSchema } from '../core/webhook-payload';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { Decided, Prepared } from './assess-change';
import { finalChange, projectIdOf } from './assess-change';
import { isAllocation, numberChange } from './number-change';
import { storable } from './storable-event';
import type { ForwardOutcome } from './outcome';
import { SKIP_DETAILS } from './outcome';
import type { DeliveryResponse, ForwardingDeps } from './ports';
import type { Failure, Settling } from './settle';
import { forgetEarlierRows, logEntry, retryLater, setAside, waitInQueue } from './settle';

/**
 * A decided change on its way out. It is numbered first (`tasksource.sequence`): if every
 * earlier change of the issue is settled, this invocation sends it now; otherwise it waits in
 * the queue behind them. Then: build the admin-webhook body, sign it, POST it, and settle.
 */

/** How long past its own time limit an invocation's hold on a delivery lasts. */
const LEASE_MARGIN_MS = 5_000;

export interface Attempt {
  /** When the first attempt at this change was made: retries stop `RETRY_FOR_HOURS` later. */
  readonly firstAttemptAt: number;
}

export async function startDelivery(
  prepared: Prepared,
  decided: Decided,
  attempt: Attempt,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { change, baseDeliveryId } = finalChange(prepared, decided, deps);
  if (prepared.change.provisional && isAlreadyDelivered(prepared.record, change.deliveryId)) {
    return prepared.skip('duplicate', SKIP_DETAILS.duplicate);
  }

  const now = deps.now();
  const allocation = await numberChange(
    prepared,
    {
      version: 1,
      issueId: change.issueId,
      deliveryId: change.deliveryId,
      baseDeliveryId,
      event: storable(prepared.event),
      attempts: 0,
      sent: 0,
      // Named from Jira's answer already, if the event named no version.
      provisional: false,
      firstAttemptAt: attempt.firstAttemptAt,
      nextAttemptAt: now,
      leaseUntil: now + deps.timeLeftMs() + LEASE_MARGIN_MS,
      issueKey: decided.issue?.key ?? prepared.record?.issueKey ?? prepared.event.issue.key ?? '',
      projectId: projectIdOf(prepared, decided.issue),
      lastStatus: null,
      lastError: null,
    },
    { sendNow: true },
    deps,
  );
  if (!isAllocation(allocation)) return allocation;
  if (allocation.kind === 'head') {
    return attemptDelivery({ prepared, decided, change, entry: allocation.entry }, deps);
  }

  // Waiting behind earlier changes, or a redelivered event whose change is numbered already:
  // either way the queue takes it from here, once its turn (or the holder's lease) comes.
  const { entry } = allocation;
  prepared.log.info('Queued behind earlier changes of the issue', { sequence: entry.sequence });
  return waitInQueue(
    entry,
    allocation.kind === 'waiting'
      ? 'waiting behind an earlier change of the issue'
      : 'this change is numbered already; the queue delivers it',
    deps,
  );
}

export interface Sending {
  readonly prepared: Prepared;
  readonly decided: Decided;
  readonly change: Change;
  /** The change's pending entry, held (`sending`) by this invocation. */
  readonly entry: PendingDelivery;
}

/** One attempt, by whoever holds the entry: the trigger for a head, else the queue. */
export async function attemptDelivery(
  sending: Sending,
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { prepared, change, entry } = sending;
  const { connection } = prepared;
  const log = prepared.log.child({ deliveryId: change.deliveryId, sequence: entry.sequence });
  const settling: Settling = {
    entry,
    deliveryId: change.deliveryId,
    stored: prepared.stored,
    connectionId: connection.connectionId,
    eventType: prepared.event.eventType,
    webhookEvent: null,
    log,
  };
  if (connection.disabledAt !== undefined) {
    return setAside(settling, 'endpoint-disabled', DISABLED_DETAIL, { status: null }, deps);
  }

  const built = build(sending, deps);
  if (built instanceof PermanentError) {
    return setAside(settling, 'unbuildable', built.message, { status: null }, deps);
  }
  const started = deps.now();
  const response = await post(built.raw, change, entry, sending, deps);
  const latencyMs = Math.max(0, deps.now() - started);
  const tried = { ...entry, attempts: entry.attempts + 1, sent: entry.sent + 1 };
  const sent: Settling = { ...settling, entry: tried, webhookEvent: built.webhookEvent };
  if (response instanceof RetriableError) {
    return retryLater(
      sent,
      { message: response.message, status: null, requestedSeconds: undefined },
      deps,
    );
  }

  const { status } = response;
  if (status >= 200 && status <= 299) {
    return settleDelivered(sending, sent, built.webhookEvent, { status, latencyMs }, deps);
  }

  if (status === 410) {
    await deps.settings.markEndpointDisabled(connection.connectionId, deps.now());
    return setAside(
      sent,
      'endpoint-disabled',
      `tasksource answered 410: ${DISABLED_DETAIL}`,
      { status },
      deps,
    );
  }
  if (isRetriableStatus(status)) {
    const failure: Failure = {
      message: `[delivery] tasksource answered ${status}`,
      status,
      requestedSeconds: requestedDelaySeconds((name) => response.header(name), deps.now()),
    };
    return retryLater(sent, failure, deps);
  }
  const detail = `tasksource answered ${status}; not retried (only 408, 429 and 5xx are)`;
  return setAside(sent, 'rejected', detail, { status }, deps);
}

const DISABLED_DETAIL =
  'tasksource disabled this endpoint. Nothing is sent until an admin saves the connection again';

function build(
  { prepared, decided, change, entry }: Sending,
  deps: ForwardingDeps,
): { raw: string; webhookEvent: WebhookEvent } | PermanentError {
  const { event, record, settings } = prepared;
  const body = mapWebhookPayload({
    event,
    change,
    decision: decided.decision,
    issue: decided.issue,
    comment: decided.comment,
    record: record?.state === 'outsourced' ? record : undefined,
    site: siteOf(settings, deps, decided.issue),
    now: deps.now(),
    sequence: entry.sequence,
  });

  const checked = outboundPayloadSchema.safeParse(body);
  if (!checked.success) {
    const detail = describeIssues(toFieldIssues(checked.error));
    return new PermanentError(
      `[mapping] Built a body that does not fit the webhook schema: ${detail}`,
    );
  }
  // The built object, not zod's output: that holds only the fields the schema names.
  return { raw: JSON.stringify(body), webhookEvent: body.webhookEvent };
}

async function post(
  body: string,
  change: Change,
  entry: PendingDelivery,
  { prepared }: Sending,
  deps: ForwardingDeps,
): Promise<DeliveryResponse | RetriableError> {
  const request = buildDeliveryRequest({
    body,
    deliveryId: change.deliveryId,
    retry: entry.sent,
    nowMillis: deps.now(),
    signingSecret: prepared.connection.signingSecret,
  });
  try {
    return await deps.tasksource.send(prepared.connection.webhookUrl, request);
  } catch (error) {
    if (error instanceof RetriableError) return error;
    throw error;
  }
}

async function settleDelivered(
  { prepared, decided, change, entry }: Sending,
  settling: Settling,
  webhookEvent: WebhookEvent,
  result: { status: number; latencyMs: number },
  deps: ForwardingDeps,
): Promise<ForwardOutcome> {
  const { decision, issue } = decided;
  const { record, connection } = prepared;
  const released = decision.action === 'release';

  const next = rememberDelivery(
    record,
    {
      connectionId: connection.connectionId,
      issueId: change.issueId,
      issueKey: issue?.key ?? record?.issueKey ?? entry.issueKey,
      projectId: issue?.fields.project.id ?? record?.projectId ?? entry.projectId,
      projectKey: issue?.fields.project.key ?? record?.projectKey ?? '',
      labels: [...decision.labels],
      updatedAt: deps.now(),
      state: released ? 'released' : 'outsourced',
      sequence: entry.sequence,
      changedAt: prepared.event.timestamp ?? null,
      wholeIssue: change.kind === 'issue-created' || change.kind === 'issue-updated',
    },
    change.deliveryId,
  );
  const logged = logEntry(settling, settling.entry, 'delivered', { ...result, error: null }, deps);
  await rememberPatiently(next, logged, deps);
  await forgetEarlierRows(settling, settling.entry, deps);

  settling.log.info('Delivered to tasksource', { webhookEvent, state: decision.state, ...result });
  return {
    outcome: 'delivered',
    deliveryId: change.deliveryId,
    sequence: entry.sequence,
    webhookEvent,
    state: decision.state,
    status: result.status,
  };
}

function siteOf(
  settings: Prepared['settings'],
  deps: ForwardingDeps,
  issue: JiraIssue | undefined,
): Site {
  const cloudId = deps.installation.cloudId;
  const configured = settings.connection?.siteUrl;
  if (configured !== undefined) return { cloudId, siteUrl: configured };

  const fromIssue = issue?.self && URL.canParse(issue.self) ? new URL(issue.self).origin : '';
  return { cloudId, siteUrl: fromIssue };
}

/**
 * tasksource has the change: if the record that says so (written with the change's log entry)
 * cannot be written, the queue would send it again. So KVS gets longer than usual (1 s, 2 s,
 * 4 s, time allowing) before the failure is handed to Forge.
 */
async function rememberPatiently(
  record: IssueRecord,
  logged: DeliveryLogEntry,
  deps: ForwardingDeps,
): Promise<void> {
  for (const pause of [1_000, 2_000, 4_000, 0]) {
    try {
      await deps.records.put(record, logged);
      return;
    } catch (error) {
      const enoughTime = deps.timeLeftMs() > pause + 5_000;
      if (!(error instanceof RetriableError) || pause === 0 || !enoughTime) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
