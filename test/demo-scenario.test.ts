import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ReplayLine } from '../local/replay/run-scenario';
import { runScenario } from '../local/replay/run-scenario';
import { parseScenario } from '../local/replay/scenario';
import { USER_AGENT } from '../src/core/app-info';
import { outboundPayloadSchema } from '../src/core/webhook-payload';

/** The demo `npm start` runs, delivery by delivery and field by field. */

const scenario = parseScenario(
  JSON.parse(readFileSync(join(__dirname, '..', 'local', 'scenarios', 'demo.json'), 'utf8')),
);
const TS = '712020:00000000-0000-4000-8000-0000000000ca';

let lines: ReplayLine[];
let deliveries: Extract<ReplayLine, { type: 'delivery' }>[];
let ping: Extract<ReplayLine, { type: 'delivery' }>[];
let plainKvs: Record<string, unknown>;
let startedAt: number;

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000);
  lines = [];
  const result = await runScenario(scenario, { onLine: (line) => lines.push(line) });
  await Promise.all([result.platform.close(), result.receiver.close()]);
  const all = lines.filter(
    (line): line is Extract<ReplayLine, { type: 'delivery' }> => line.type === 'delivery',
  );
  ping = all.filter(
    (line) => (line.body as { webhookEvent?: string }).webhookEvent === 'tasksource:ping',
  );
  deliveries = all.filter((line) => !ping.includes(line));
  plainKvs = result.platform.kvs.snapshot().plain;
});

const body = (index: number) => deliveries[index]!.body as Record<string, any>;

describe('the demo scenario', () => {
  it('is configured on the settings pages: one refusal, one look-alike, then saved', () => {
    const resolves = lines.filter((line) => line.type === 'resolve') as Extract<
      ReplayLine,
      { type: 'resolve' }
    >[];

    expect(
      resolves.map((line) => [
        line.call,
        line.ok,
        (line.error as { code?: string } | null)?.code ?? null,
      ]),
    ).toEqual([
      ['admin/save', false, 'forbidden'],
      ['admin/save', true, null],
      ['admin/rotate-secret', true, null],
      ['admin/test', true, null],
      ['project/save', false, 'invalid-input'],
      ['project/save', true, null],
    ]);
    expect(ping).toHaveLength(1);
    expect(ping[0]).toMatchObject({ status: 200, verified: true });
  });

  it('delivers eight changes and skips seven events, in order', () => {
    expect(
      deliveries.map((line) => {
        const b = line.body as Record<string, any>;
        return [b.webhookEvent, b.issue.key, b.tasksource.state, b.tasksource.reason ?? null];
      }),
    ).toEqual([
      ['jira:issue_created', 'KAN-22', 'outsourced', null],
      ['comment_created', 'KAN-22', 'outsourced', null],
      ['comment_updated', 'KAN-22', 'outsourced', null],
      ['jira:issue_updated', 'KAN-23', 'outsourced', null],
      ['comment_created', 'KAN-23', 'outsourced', null],
      ['comment_deleted', 'KAN-23', 'outsourced', null],
      ['jira:issue_updated', 'KAN-22', 'released', 'unassigned'],
      ['jira:issue_deleted', 'KAN-23', 'released', 'deleted'],
    ]);
    expect(
      lines
        .filter((line) => line.type === 'skip')
        .map((line) => (line as { reason: string }).reason),
    ).toEqual([
      'not-assigned-to-integration-account',
      'duplicate',
      'only-a-lookalike-label',
      'only-a-lookalike-label',
      'not-assigned-to-integration-account',
      'unknown-event-type',
      'invalid-event',
    ]);
    expect(lines.filter((line) => line.type === 'retry' || line.type === 'error')).toEqual([]);
  });

  it('signs every delivery so both verifiers accept it', () => {
    for (const delivery of deliveries) {
      expect(delivery.status).toBe(200);
      expect(delivery.verified).toBe(true);
      expect(delivery.headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(Number(delivery.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(startedAt);
    }
  });

  it('sends the headers tasksource relies on, with one delivery id per change', () => {
    const ids = deliveries.map((delivery) => delivery.headers['x-atlassian-webhook-identifier']);

    expect(new Set(ids).size).toBe(deliveries.length);
    for (const [index, delivery] of deliveries.entries()) {
      expect(delivery.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'user-agent': USER_AGENT,
        'x-atlassian-webhook-retry': '0',
        'webhook-id': ids[index],
      });
      expect(body(index).tasksource.deliveryId).toBe(ids[index]);
    }
  });

  it('sends bodies that fit the admin-webhook schema and are exactly the signed bytes', () => {
    for (const delivery of deliveries) {
      expect(outboundPayloadSchema.safeParse(delivery.body).error?.issues ?? []).toEqual([]);
      expect(JSON.parse(delivery.raw)).toEqual(delivery.body);
    }
  });

  it('describes the site and the matched labels in the tasksource block', () => {
    for (const [index] of deliveries.entries()) {
      expect(body(index).tasksource).toMatchObject({
        labels: ['acme-web'],
        cloudId: '00000000-0000-4000-8000-00000000c10d',
        siteUrl: 'https://example.atlassian.net',
      });
    }
  });

  it('creates KAN-22 with the full REST v2 issue as Jira has it', () => {
    const created = body(0);

    expect(created).toMatchObject({
      timestamp: 1796119200000,
      issue_event_type_name: 'issue_created',
      user: { accountId: '712020:00000000-0000-4000-8000-000000000001' },
      issue: {
        id: '10021',
        self: 'https://example.atlassian.net/rest/api/2/issue/10021',
        fields: {
          summary: 'Add back button to pages',
          description: expect.stringContaining('Add back button navigation'),
          assignee: { accountId: TS },
          labels: ['acme-web'],
          project: { id: '10000', key: 'KAN' },
        },
      },
      tasksource: { eventType: 'avi:jira:created:issue', issueId: '10021' },
    });
    expect(created.issue.fields.comment).toBeUndefined();
    expect(created.changelog).toBeUndefined();
  });

  it('sends comments with wiki-markup bodies and the trimmed issue of comment webhooks', () => {
    expect(body(1).comment).toMatchObject({
      id: '10100',
      body: `Designs are in the attached Figma, see [~accountid:${TS}]`,
      self: 'https://example.atlassian.net/rest/api/2/issue/10021/comment/10100',
    });
    expect(body(2).comment.body).toBe(
      `Designs are in the attached Figma (v2), see [~accountid:${TS}]`,
    );
    expect(body(2).comment.updated > body(2).comment.created).toBe(true);
    expect(Object.keys(body(1).issue.fields).sort()).toEqual(
      ['assignee', 'issuetype', 'priority', 'project', 'status', 'summary'].sort(),
    );
    expect(body(1).issue_event_type_name).toBeUndefined();
    expect(body(5).comment).toMatchObject({
      id: '10101',
      body: 'Repro steps: open Settings, tap the date field.',
    });
  });

  it('sends the assignment with its changelog, from the updated:issue Forge sends for it', () => {
    expect(body(3)).toMatchObject({
      issue_event_type_name: 'issue_assigned',
      changelog: { id: '10301', items: [{ field: 'assignee', to: TS }] },
      tasksource: { eventType: 'avi:jira:updated:issue' },
    });
  });

  it('never invokes the app for OPS-1: its project has no settings, so Jira drops the event', () => {
    expect(lines.filter((line) => line.type === 'filtered')).toEqual([
      expect.objectContaining({
        issueId: '10030',
        projectId: '10001',
        reason: 'expression-false',
        detail: expect.stringContaining('filtered by the platform'),
      }),
    ]);
  });

  it('releases with what tasksource already knew, and nothing new', () => {
    const released = body(6);

    expect(released.issue).toEqual({
      id: '10021',
      self: 'https://example.atlassian.net/rest/api/2/issue/10021',
      key: 'KAN-22',
      fields: { project: { id: '10000', key: 'KAN' } },
    });
    expect(released.changelog.items).toEqual([
      expect.objectContaining({ field: 'assignee', from: TS, to: null, toString: null }),
    ]);
    expect(JSON.stringify(released)).not.toContain('Alex Example');
    expect(body(7).issue).toMatchObject({
      id: '10022',
      key: 'KAN-23',
      fields: { project: { key: 'KAN' } },
    });
  });

  it('never sends anything about KAN-24, the issue that was never outsourced', () => {
    const everything = JSON.stringify(deliveries);
    const leaks = ['KAN-24', '"10023"', 'budget code 4711', 'Update footer links', 'OPS-1'];

    expect(leaks.filter((leak) => everything.includes(leak))).toEqual([]);
  });

  it('keeps released and deleted issues only as numbering, marked released', () => {
    const records = Object.entries(plainKvs).filter(([key]) => key.startsWith('issue:'));

    expect(records.length).toBeGreaterThan(0);
    for (const [, record] of records) expect(record).toMatchObject({ state: 'released' });
  });
});
