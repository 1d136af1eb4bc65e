import { createHmac } from 'node:crypto';

import api, { fetch, route } from '@forge/api';
import { kvs } from '@forge/kvs';

import { SETTINGS_KEY } from '../src/adapters/kvs-settings-store';

/**
 * The least a Forge app can do to forward one change: the floor's work (parse the event and
 * Jira's answer, serialise the body, sign it twice) plus the platform calls this app makes for
 * a forwarded change, through the same `@forge/*` clients, with nothing in between. That is:
 * read the settings (a secret) and the issue's record, read the issue from Jira, write the
 * change's number, POST the body, and write the record and its log entry in one transaction.
 *
 * It is not an app: it applies no rule, keeps no order, scrubs nothing, logs nothing and checks
 * nothing it reads back. It measures what the platform's clients cost on their own, so that the
 * pipeline's CPU can be read against what any implementation of this issue could reach.
 */

export interface MinimumInput {
  /** The Forge event, as the trigger received it. */
  readonly event: unknown;
  /** The body the app sent for it, parsed: the minimum serialises and signs the same one. */
  readonly body: unknown;
}

export interface MinimumParsers {
  parseEvent(event: unknown): unknown;
  parseIssue(json: unknown): unknown;
}

const ISSUE_FIELDS = '*all,-comment,-worklog';

export function minimalForwarder(secret: string, { parseEvent, parseIssue }: MinimumParsers) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');

  return async ({ event, body }: MinimumInput): Promise<void> => {
    parseEvent(event);
    const issueId = String((event as { issue: { id: unknown } }).issue.id);

    const settings = await kvs.getSecret<{ connection: { webhookUrl: string } }>(SETTINGS_KEY);
    if (!settings) throw new Error('the platform minimum needs the bench site connected');
    await kvs.get(`minimum:${issueId}`);

    const path = route`/rest/api/2/issue/${issueId}?fields=${ISSUE_FIELDS}`;
    const answer = await api.asApp().requestJira(path, { headers: { accept: 'application/json' } });
    parseIssue(await answer.json());

    await kvs.set(`minimum-out:${issueId}`, event, { keyPolicy: 'FAIL_IF_EXISTS' });

    const raw = JSON.stringify(body);
    const jiraStyle = createHmac('sha256', secret).update(raw).digest('hex');
    const standard = createHmac('sha256', key).update(`id.1.${raw}`).digest('base64');
    const sent = await fetch(settings.connection.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': `sha256=${jiraStyle}`,
        'webhook-signature': `v1,${standard}`,
      },
      body: raw,
      redirect: 'manual',
    });
    await sent.arrayBuffer();

    await kvs
      .transact()
      .set(`minimum:${issueId}`, { sequence: 1 })
      .set(`minimum-log:${issueId}`, { status: sent.status })
      .execute();
  };
}
