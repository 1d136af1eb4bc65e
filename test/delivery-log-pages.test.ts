import { createKvsDeadLetters } from '../src/adapters/kvs-dead-letters';
import { createKvsDeliveryLog } from '../src/adapters/kvs-delivery-log';
import { createKvsSettingsStore } from '../src/adapters/kvs-settings-store';
import type { DeadLetter } from '../src/core/dead-letter';
import type { DeliveryLogEntry } from '../src/core/delivery-log';
import { createLogger } from '../src/core/logger';
import type { LocalForgePlatform } from '../local/platform/local-forge-platform';
import type { ResolveRequest, ResolveResult } from '../local/replay/invoke-resolver';
import { invokeResolver } from '../local/replay/invoke-resolver';
import type { DeliveryList } from '../src/settings/page-contract';
import { INTEGRATION, makeSettings, SECRET, SITE, WEBHOOK_URL } from './support/builders';
import { at, deliveryId, makeDeadLetter, makeLogEntry } from './support/delivery-records';
import { ADMIN, LEAD, PAGE_SITE, VIEWER } from './support/page-users';
import { withRunningScenario } from './support/replay';

/**
 * The delivery log on the settings pages, against the real resolvers on the local platform:
 * what each page lists and in which order, that no credential reaches an answer, and what an
 * admin's Resend does to the dead letter, the queue and the log. Log entries and dead letters
 * are written with the app's own KVS adapters, as the forwarding code writes them.
 */

const COMPANY_ID = new URL(WEBHOOK_URL).searchParams.get('companyId') ?? '';

type Caller = ResolveRequest['as'];

interface Site {
  readonly platform: LocalForgePlatform;
  admin(call: string, payload?: unknown, as?: Caller): Promise<ResolveResult>;
  project(call: string, payload?: unknown, as?: Caller, projectId?: string): Promise<ResolveResult>;
  /** The `dead:` keys in KVS right now. */
  deadKeys(): string[];
  /** The log entries in KVS right now. */
  logged(): DeliveryLogEntry[];
}

/** A connected site with projects 10000 and 10001 configured, running until `use` is done. */
async function onSite(use: (site: Site) => Promise<void>): Promise<void> {
  const settings = makeSettings({
    projects: {
      '10000': { labels: ['acme-web'], enabled: true },
      '10001': { labels: ['ops'], enabled: true },
    },
  });
  await withRunningScenario(
    { settings, jira: PAGE_SITE, site: { cloudId: 'c', baseUrl: SITE }, steps: [] },
    async ({ platform }) => {
      const plain = () => platform.kvs.snapshot().plain;
      await use({
        platform,
        admin: (call, payload = {}, as = ADMIN) =>
          invokeResolver(platform, SITE, { module: 'admin', as, call, payload }),
        project: (call, payload = {}, as = LEAD, projectId = '10000') =>
          invokeResolver(platform, SITE, {
            module: 'project-settings',
            projectId,
            as,
            call,
            payload,
          }),
        deadKeys: () => Object.keys(plain()).filter((key) => key.startsWith('dead:')),
        logged: () =>
          Object.entries(plain())
            .filter(([key]) => key.startsWith('log:'))
            .map(([, value]) => value as DeliveryLogEntry),
      });
    },
  );
}

async function seed(records: { entries?: DeliveryLogEntry[]; letters?: DeadLetter[] }) {
  const log = createKvsDeliveryLog();
  const dead = createKvsDeadLetters(createLogger({ level: 'silent' }));
  for (const entry of records.entries ?? []) await log.write(entry);
  for (const letter of records.letters ?? []) await dead.add(letter);
}

function listOf(answer: ResolveResult): DeliveryList {
  if (!answer.ok) throw new Error(`Expected a delivery list, got ${JSON.stringify(answer.error)}`);
  return answer.data as DeliveryList;
}

const ids = (rows: readonly { deliveryId: string }[]) => rows.map((row) => row.deliveryId);

/**
 * Two dead letters (10000 and 10001) and log entries across the site. `firstAttemptAt` and
 * `updatedAt` disagree on purpose: the log stores by the first, the pages sort by the second.
 */
const LETTER_10000 = makeDeadLetter({ deliveryId: deliveryId(101), deadAt: at(2) });
const LETTER_10001 = makeDeadLetter({
  deliveryId: deliveryId(102),
  issueId: '10031',
  issueKey: 'OPS-3',
  projectId: '10001',
  reason: 'rejected',
  detail: 'tasksource answered 422: the body was refused',
  status: 422,
  deadAt: at(8),
});
const ENTRIES = [
  makeLogEntry({ deliveryId: deliveryId(1), firstAttemptAt: at(1), updatedAt: at(5) }),
  makeLogEntry({ deliveryId: deliveryId(2), firstAttemptAt: at(2), updatedAt: at(3) }),
  makeLogEntry({
    deliveryId: deliveryId(3),
    issueId: '10031',
    issueKey: 'OPS-3',
    projectId: '10001',
    state: 'retrying',
    status: 503,
    latencyMs: 20,
    error: 'tasksource answered 503',
    updatedAt: at(7),
  }),
  makeLogEntry({
    deliveryId: deliveryId(4),
    issueKey: 'KAN-1',
    projectId: '',
    state: 'skipped',
    status: null,
    latencyMs: null,
    error: 'the issue is not outsourced',
    updatedAt: at(6),
  }),
  // A project nobody configured (any more): not on the admin page's list.
  makeLogEntry({ deliveryId: deliveryId(5), projectId: '10002', updatedAt: at(9) }),
  // The dead letter's own line: the dead-letter row above shows it already.
  makeLogEntry({
    deliveryId: LETTER_10000.deliveryId,
    sequence: 2,
    eventType: 'avi:jira:commented:issue',
    webhookEvent: 'comment_created',
    state: 'dead-letter',
    status: 410,
    latencyMs: 88,
    error: LETTER_10000.detail,
    updatedAt: at(2),
  }),
];

describe('admin/deliveries', () => {
  it('lists dead letters newest first, then the site’s deliveries newest first', async () => {
    await onSite(async (site) => {
      await seed({ entries: ENTRIES, letters: [LETTER_10000, LETTER_10001] });

      const list = listOf(await site.admin('admin/deliveries'));

      expect(ids(list.deadLetters)).toEqual([deliveryId(102), deliveryId(101)]);
      expect(list.deadLetterTotal).toBe(2);
      expect(ids(list.deliveries)).toEqual([
        deliveryId(3),
        deliveryId(4),
        deliveryId(1),
        deliveryId(2),
      ]);
    });
  });

  it('describes each row with its time, event, outcome and, for a dead letter, why', async () => {
    await onSite(async (site) => {
      await seed({ entries: ENTRIES, letters: [LETTER_10000, LETTER_10001] });

      const list = listOf(await site.admin('admin/deliveries'));

      expect(list.deadLetters[1]).toEqual({
        deliveryId: deliveryId(101),
        time: '2026-12-01T10:02:00.000Z',
        issueKey: 'KAN-22',
        eventType: 'avi:jira:commented:issue',
        webhookEvent: 'comment_created',
        state: 'dead-letter',
        status: 410,
        attempts: 1,
        latencyMs: 88,
        error: 'tasksource answered 410: it disabled this endpoint',
        reason: 'endpoint-disabled',
        explanation: expect.stringContaining('disabled the endpoint'),
        resentTogether: true,
      });
      expect(list.deadLetters[0]).toMatchObject({
        reason: 'rejected',
        explanation: expect.stringContaining('refused this change'),
      });
      expect(list.deliveries[0]).toEqual({
        deliveryId: deliveryId(3),
        time: '2026-12-01T10:07:00.000Z',
        issueKey: 'OPS-3',
        eventType: 'avi:jira:updated:issue',
        webhookEvent: 'jira:issue_updated',
        state: 'retrying',
        status: 503,
        attempts: 1,
        latencyMs: 20,
        error: 'tasksource answered 503',
      });
    });
  });

  it('lists the log of a project that is no longer configured while it has dead letters', async () => {
    await onSite(async (site) => {
      const gone = makeDeadLetter({ deliveryId: deliveryId(103), projectId: '10002' });
      await seed({ entries: ENTRIES, letters: [gone] });

      const list = listOf(await site.admin('admin/deliveries'));

      expect(ids(list.deadLetters)).toEqual([deliveryId(103)]);
      expect(ids(list.deliveries)).toContain(deliveryId(5));
    });
  });

  it('lists the site’s newest 100 deliveries, 50 from each log at most', async () => {
    await onSite(async (site) => {
      const entries = Array.from({ length: 60 }, (_, n) =>
        ['10000', '10001', ''].map((projectId, p) =>
          makeLogEntry({
            deliveryId: deliveryId(1000 + n * 3 + p),
            projectId,
            firstAttemptAt: at(n),
            updatedAt: at(n),
          }),
        ),
      ).flat();
      await seed({ entries });

      const list = listOf(await site.admin('admin/deliveries'));

      // 50 from each of the three logs, the newest 100 of those.
      expect(list.deliveries).toHaveLength(100);
      expect(list.deliveries[0]?.time).toBe(new Date(at(59)).toISOString());
      expect(list.deliveries.at(-1)?.time).toBe(new Date(at(26)).toISOString());
    });
  });
});

describe('project/deliveries', () => {
  it('lists only the project’s own deliveries and dead letters', async () => {
    await onSite(async (site) => {
      await seed({ entries: ENTRIES, letters: [LETTER_10000, LETTER_10001] });

      const kan = listOf(await site.project('project/deliveries'));
      const ops = listOf(await site.project('project/deliveries', {}, VIEWER, '10001'));

      expect(ids(kan.deadLetters)).toEqual([deliveryId(101)]);
      expect(ids(kan.deliveries)).toEqual([deliveryId(1), deliveryId(2)]);
      expect(ids(ops.deadLetters)).toEqual([deliveryId(102)]);
      expect(ids(ops.deliveries)).toEqual([deliveryId(3)]);
    });
  });
});

describe('credentials', () => {
  it('never reach a delivery-log answer, even when a stored sentence holds them', async () => {
    await onSite(async (site) => {
      const leaky = `POST ${WEBHOOK_URL} failed; company ${COMPANY_ID}; key ${SECRET}`;
      await seed({
        entries: [makeLogEntry({ deliveryId: deliveryId(7), state: 'retrying', error: leaky })],
        letters: [
          makeDeadLetter({ deliveryId: deliveryId(8), detail: leaky }),
          makeDeadLetter({ deliveryId: deliveryId(9), detail: `secret ${SECRET.slice(6)}` }),
        ],
      });

      const answers = [
        await site.admin('admin/get'),
        await site.admin('admin/deliveries'),
        await site.project('project/deliveries'),
        await site.admin('admin/resend', { deliveryId: deliveryId(8) }),
        await site.admin('admin/resend-all'),
        await site.admin('admin/deliveries'),
      ];

      expect(answers.every((answer) => answer.ok)).toBe(true);
      const text = JSON.stringify(answers);
      for (const credential of [WEBHOOK_URL, COMPANY_ID, SECRET, SECRET.slice(6)]) {
        expect(text.includes(credential)).toBe(false);
      }
      expect(listOf(answers[1]!).deliveries[0]?.error).toBe(
        'POST [redacted] failed; company [redacted]; key [redacted]',
      );
    });
  });
});

describe('admin/resend', () => {
  it('puts the dead letter back in its issue’s queue under the same delivery id', async () => {
    await onSite(async (site) => {
      await seed({ letters: [LETTER_10000] });
      const queuedBefore = site.platform.queued.length;

      const answer = await site.admin('admin/resend', { deliveryId: LETTER_10000.deliveryId });

      expect(answer).toEqual({ ok: true, data: { resent: true, issueKey: 'KAN-22' } });
      expect(site.deadKeys()).toEqual([]);
      expect(site.platform.queued.slice(queuedBefore)).toEqual([
        expect.objectContaining({
          queueName: 'tasksource-deliveries',
          body: { type: 'issue', issueId: '10021' },
          concurrency: { key: 'issue-10021', limit: 1 },
        }),
      ]);
      expect(site.logged()).toContainEqual(
        expect.objectContaining({
          deliveryId: LETTER_10000.deliveryId,
          issueKey: 'KAN-22',
          state: 'retrying',
          attempts: 0,
          error: 'resent by an admin',
        }),
      );
      const list = listOf(await site.admin('admin/deliveries'));
      expect(list.deadLetters).toEqual([]);
      expect(list.deliveries[0]).toMatchObject({
        deliveryId: LETTER_10000.deliveryId,
        state: 'retrying',
      });
    });
  });

  it('answers not-found for a delivery id that is no dead letter', async () => {
    await onSite(async (site) => {
      await seed({ letters: [LETTER_10000] });

      const answer = await site.admin('admin/resend', { deliveryId: deliveryId(999) });

      expect(answer).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect((answer as { error: { message: string } }).error.message).toContain(
        `There is no dead letter ${deliveryId(999)}`,
      );
      expect(site.deadKeys()).toEqual([`dead:${LETTER_10000.deliveryId}`]);
    });
  });

  it.each([
    ['too short', { deliveryId: 'ts_123' }, 'deliveryId'],
    ['not hex', { deliveryId: `ts_${'g'.repeat(32)}` }, 'deliveryId'],
    ['upper case', { deliveryId: `TS_${'A'.repeat(32)}` }, 'deliveryId'],
    ['missing', {}, 'deliveryId'],
    ['with a key of its own', { deliveryId: deliveryId(101), force: true }, 'form'],
  ])('refuses a delivery id %s with a field error', async (_, payload, field) => {
    await onSite(async (site) => {
      await seed({ letters: [LETTER_10000] });

      const answer = await site.admin('admin/resend', payload);

      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect((answer as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(
        field,
      );
      expect(site.deadKeys()).toEqual([`dead:${LETTER_10000.deliveryId}`]);
    });
  });

  it.each([
    ['admin/resend', { deliveryId: LETTER_10000.deliveryId }, LEAD],
    ['admin/resend', { deliveryId: LETTER_10000.deliveryId }, VIEWER],
    ['admin/resend-all', {}, LEAD],
  ])('refuses %s to someone without Jira administration', async (call, payload, as) => {
    await onSite(async (site) => {
      await seed({ letters: [LETTER_10000] });
      const before = site.platform.kvs.snapshot();
      const queuedBefore = site.platform.queued.length;

      const answer = await site.admin(call, payload, as);

      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(site.platform.kvs.snapshot().plain).toEqual(before.plain);
      expect(site.platform.queued).toHaveLength(queuedBefore);
    });
  });
});

describe('admin/resend-all', () => {
  it('resends the changes kept for want of tasksource or Jira, oldest first', async () => {
    await onSite(async (site) => {
      await seed({
        letters: [
          makeDeadLetter({ deliveryId: deliveryId(201), deadAt: at(3) }),
          makeDeadLetter({ deliveryId: deliveryId(202), deadAt: at(1) }),
          makeDeadLetter({ deliveryId: deliveryId(203), deadAt: at(2), reason: 'expired' }),
          makeDeadLetter({ deliveryId: deliveryId(204), deadAt: at(2), reason: 'jira-unreadable' }),
          makeDeadLetter({ deliveryId: deliveryId(205), deadAt: at(2), reason: 'unbuildable' }),
          LETTER_10001,
        ],
      });

      const answer = await site.admin('admin/resend-all');

      expect(answer).toEqual({ ok: true, data: { resent: 4, remaining: 0 } });
      expect(site.deadKeys().sort()).toEqual(
        [`dead:${LETTER_10001.deliveryId}`, `dead:${deliveryId(205)}`].sort(),
      );
      const sequences = Object.fromEntries(
        site
          .logged()
          .filter((entry) => entry.state === 'retrying')
          .map((entry) => [entry.deliveryId, entry.sequence]),
      );
      expect(sequences[deliveryId(202)]).toBeLessThan(sequences[deliveryId(201)]!);
    });
  });

  it('resends at most 100 a call and says how many are left', async () => {
    await onSite(async (site) => {
      const letters = Array.from({ length: 101 }, (_, n) =>
        makeDeadLetter({ deliveryId: deliveryId(300 + n), issueId: String(20000 + n) }),
      );
      await seed({ letters });
      const listed = listOf(await site.admin('admin/deliveries'));

      const first = await site.admin('admin/resend-all');
      const second = await site.admin('admin/resend-all');

      expect([listed.deadLetters.length, listed.deadLetterTotal]).toEqual([100, 101]);
      expect(first).toEqual({ ok: true, data: { resent: 100, remaining: 1 } });
      expect(second).toEqual({ ok: true, data: { resent: 1, remaining: 0 } });
      expect(site.deadKeys()).toEqual([]);
    });
  }, 30_000);
});

describe('an endpoint tasksource disabled', () => {
  it('shows on the admin page, stops Resend, and clears when the connection is saved', async () => {
    await onSite(async (site) => {
      await seed({ letters: [LETTER_10000] });
      const store = createKvsSettingsStore();
      const connectionId = (await store.load()).connection?.connectionId ?? '';
      await store.markEndpointDisabled(connectionId, at(30));

      const disabled = await site.admin('admin/get');
      const refused = await site.admin('admin/resend', { deliveryId: LETTER_10000.deliveryId });
      const refusedAll = await site.admin('admin/resend-all');
      await site.admin('admin/save', { integrationAccountId: INTEGRATION });
      const resumed = await site.admin('admin/get');
      const resent = await site.admin('admin/resend-all');

      expect(disabled).toMatchObject({
        ok: true,
        data: { endpointDisabledAt: '2026-12-01T10:30:00.000Z' },
      });
      for (const answer of [refused, refusedAll]) {
        expect(answer).toMatchObject({ ok: false, error: { code: 'not-connected' } });
        expect((answer as { error: { message: string } }).error.message).toContain(
          'save the connection again',
        );
      }
      expect(resumed).toMatchObject({ ok: true, data: { endpointDisabledAt: null } });
      expect(resent).toEqual({ ok: true, data: { resent: 1, remaining: 0 } });
    });
  });

  it('stays disabled when only the signing secret is changed', async () => {
    await onSite(async (site) => {
      const store = createKvsSettingsStore();
      const connectionId = (await store.load()).connection?.connectionId ?? '';
      await store.markEndpointDisabled(connectionId, at(30));

      const rotated = await site.admin('admin/rotate-secret');
      const view = await site.admin('admin/get');

      expect(rotated).toMatchObject({ ok: true, data: { signingSecret: expect.any(String) } });
      expect(view).toMatchObject({
        ok: true,
        data: { endpointDisabledAt: '2026-12-01T10:30:00.000Z' },
      });
    });
  });
});
