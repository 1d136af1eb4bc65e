import api, { route } from '@forge/api';
import { kvs } from '@forge/kvs';

import { LOG_TTL } from '../src/adapters/kvs-delivery-log';
import { SETTINGS_KEY } from '../src/adapters/kvs-settings-store';
import { createTasksourceHttpSender } from '../src/adapters/tasksource-http-sender';
import { buildDeliveryRequest } from '../src/core/build-delivery-request';
import { logKey } from '../src/core/delivery-log';
import type { DeliveryLogEntry } from '../src/core/delivery-log';
import {
  decideForwarding,
  isAlreadyDelivered,
  isStale,
  outsideOutsourcingProjects,
  ruledOutByPayload,
} from '../src/core/forwarding-rules';
import { identifyChange } from '../src/core/identify-change';
import { parseIssueRecord, rememberDelivery } from '../src/core/issue-record';
import type { JiraEvent } from '../src/core/jira-event';
import { isCommentEvent } from '../src/core/jira-event';
import type { JiraIssue } from '../src/core/jira-issue';
import { issueFacts } from '../src/core/jira-issue';
import { createLogger } from '../src/core/logger';
import { mapWebhookPayload } from '../src/core/map-webhook-payload';
import type { PendingDelivery } from '../src/core/pending-delivery';
import { storedSettingsShape } from '../src/core/settings';
import { storable } from '../src/forwarding/storable-event';

/**
 * The steps a forwarded change cannot do without, called back to back through the same
 * `@forge/*` clients as the app, with the app's own core functions: parse the event, read and
 * check the settings (stored settings are input, and bad input gets a clear error), name the
 * change, read its record, apply the payload rules, read and check the issue, decide, number
 * the change (with the entry the queue would retry it from), build and scrub the body, serialise
 * and sign it, POST it with a timeout, write the record and its log entry, and log one redacted
 * line.
 *
 * Left out, because the app would still forward a change without them: the check of the body
 * built against the webhook schema, ports and adapters, KVS retries, typed errors and outcomes,
 * ordering past the first free number, dead letters, the cheap checks of paths the CPU run never
 * takes (self-generated events, an earlier connection, an endpoint tasksource disabled), and
 * every path but a first delivery. This is a measuring stick, not an app: it handles only the
 * changes the CPU run makes. What it costs above the platform minimum (`platform-minimum.ts`) is
 * about the least an implementation of this app's rules spends of its own, so the pipeline can
 * be read against it.
 */

export interface RequiredStepsInput {
  parseEvent(event: unknown): { ok: true; event: JiraEvent } | { ok: false };
  parseIssue(json: unknown): { success: boolean };
  /** The site's installation, as the trigger's context names it. */
  readonly installationId: string;
  readonly cloudId: string;
}

const ISSUE_FIELDS = '*all,-comment,-worklog';
const LEASE_MS = 30_000;

export function requiredSteps(input: RequiredStepsInput) {
  const { parseEvent, parseIssue, installationId, cloudId } = input;
  // The app's own POST: its timeout leaves the invocation time to record the outcome.
  const tasksource = createTasksourceHttpSender();

  return async ({ event: received }: { event: unknown }): Promise<void> => {
    const log = createLogger();
    const parsed = parseEvent(received);
    if (!parsed.ok) throw new Error('the required steps take only events the app accepts');
    const { event } = parsed;

    const settings = storedSettingsShape.safeParse(await kvs.getSecret(SETTINGS_KEY));
    const connection = settings.success ? settings.data.connection : undefined;
    if (!settings.success || !connection) throw new Error('the bench site is not connected');
    log.redactor.addSecret(connection.webhookUrl);
    log.redactor.addSecret(connection.signingSecret);

    const change = identifyChange(event, installationId);
    const changelog = isCommentEvent(event) ? undefined : event.changelog;
    const payload = { projectId: event.issue.fields?.project?.id, changelog };
    if (outsideOutsourcingProjects(payload, settings.data)) throw new Error('not outsourced');

    const stored = await kvs.get(`required:${change.issueId}`);
    const record = stored === undefined ? undefined : parseIssueRecord(stored);
    if (isAlreadyDelivered(record, change.deliveryId)) throw new Error('delivered already');
    if (isStale(change.kind, event.timestamp, record)) throw new Error('stale');
    if (ruledOutByPayload(event.issue.fields?.assignee, settings.data, record)) {
      throw new Error('assigned to someone else');
    }

    const path = route`/rest/api/2/issue/${change.issueId}?fields=${ISSUE_FIELDS}`;
    const answer = await api.asApp().requestJira(path, { headers: { accept: 'application/json' } });
    const issue = (await answer.json()) as JiraIssue;
    if (!parseIssue(issue).success) throw new Error('Jira answered with something else');
    const decision = decideForwarding({
      change: change.kind,
      issue: issueFacts(issue),
      record,
      settings: settings.data,
    });
    if (decision.action !== 'forward') throw new Error('the required steps only forward');

    const now = Date.now();
    const sequence = (record?.sequence ?? 0) + 1;
    const project = issue.fields.project;
    // What the queue needs to try the change again, as the app stores it.
    const numbered: PendingDelivery = {
      version: 1,
      issueId: change.issueId,
      sequence,
      deliveryId: change.deliveryId,
      baseDeliveryId: change.deliveryId,
      event: storable(event),
      state: 'sending',
      attempts: 0,
      sent: 0,
      provisional: false,
      firstAttemptAt: now,
      nextAttemptAt: now,
      leaseUntil: now + LEASE_MS,
      issueKey: issue.key,
      projectId: project.id,
      lastStatus: null,
      lastError: null,
    };
    await kvs.set(`required-out:${change.issueId}:${sequence}`, numbered, {
      keyPolicy: 'FAIL_IF_EXISTS',
    });

    const site = { cloudId, siteUrl: connection.siteUrl ?? '' };
    const comment = undefined;
    const body = mapWebhookPayload({
      event,
      change,
      decision,
      issue,
      comment,
      record,
      site,
      now,
      sequence,
    });
    const request = buildDeliveryRequest({
      body: JSON.stringify(body),
      deliveryId: change.deliveryId,
      retry: 0,
      nowMillis: now,
      signingSecret: connection.signingSecret,
    });
    const { status } = await tasksource.send(connection.webhookUrl, request);

    const next = rememberDelivery(
      record,
      {
        connectionId: connection.connectionId,
        issueId: change.issueId,
        issueKey: issue.key,
        projectId: project.id,
        projectKey: project.key ?? '',
        labels: [...decision.labels],
        updatedAt: now,
        state: 'outsourced',
        sequence,
        changedAt: event.timestamp ?? null,
        wholeIssue: true,
      },
      change.deliveryId,
    );
    const logged: DeliveryLogEntry = {
      version: 1,
      deliveryId: change.deliveryId,
      issueId: change.issueId,
      issueKey: issue.key,
      projectId: project.id,
      sequence,
      eventType: event.eventType,
      webhookEvent: body.webhookEvent,
      state: 'delivered',
      status,
      attempts: 1,
      latencyMs: 0,
      error: null,
      firstAttemptAt: now,
      updatedAt: now,
    };
    await kvs
      .transact()
      .set(`required:${change.issueId}`, next)
      .set(`required-${logKey(logged)}`, logged, undefined, { ttl: LOG_TTL })
      .execute();

    const fields = { issueId: change.issueId, deliveryId: change.deliveryId, sequence, status };
    log.info('Delivered to tasksource', { eventType: event.eventType, ...fields });
  };
}
