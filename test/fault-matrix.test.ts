import type { ReplayLine } from '../local/replay/run-scenario';
import { assigneeChange, INTEGRATION, makeEvent, WEBHOOK_URL } from './support/builders';
import type { DeliveryAccount } from './support/delivery-invariants';
import { accountFor } from './support/delivery-invariants';
import { changeEvents, hours, jiraStep, minutes, outsourcedIssues } from './support/fault-matrix';
import { ADMIN, PAGE_SITE } from './support/page-users';
import type { Replayed } from './support/replay';
import { bodyOf, replay } from './support/replay';

/**
 * Issue 4's fault matrix. Each case is a replay scenario on the local runtime, with the
 * emulated clock moving Forge's queue and schedules on. Whatever the fault, every outsourced
 * change reaches tasksource exactly once by delivery id, in sequence order per issue, or sits in
 * dead letters with its reason; and no invocation runs over its Forge time limit.
 */

jest.setTimeout(60_000);

function expectPromiseKept(replayed: Replayed, changes: number): DeliveryAccount {
  const account = accountFor(replayed);

  expect(account.problems).toEqual([]);
  expect(account.accepted.length + account.deadLetters.length).toBe(changes);
  expect(replayed.result.platform.overruns()).toEqual([]);
  expect(replayed.lines.filter((line) => line.type === 'error')).toEqual([]);
  return account;
}

const threeIssues = outsourcedIssues(3, { comments: 1 });
const threeChangesEach = changeEvents(threeIssues, 3);

describe('tasksource down for minutes', () => {
  it.each<[string, unknown]>([
    ['503', 503],
    ['500', 500],
    ['429 with Retry-After', { status: 429, retryAfter: 120 }],
    ['connection resets', 'reset'],
  ])('answering %s: everything arrives once, in order, after it recovers', async (_, answer) => {
    const replayed = await replay([
      jiraStep(threeIssues),
      { receiver: { answer } },
      ...threeChangesEach,
      minutes(20),
      { receiver: { answer: 200 } },
      minutes(30),
    ]);

    const account = expectPromiseKept(replayed, 9);
    expect(account.deadLetters).toEqual([]);
    expect(Object.values(account.sequences)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('waits as long as Retry-After asks, between attempts at one change', async () => {
    const replayed = await replay([
      jiraStep(threeIssues.slice(0, 1)),
      { receiver: { answer: { status: 429, retryAfter: 300 } } },
      ...changeEvents(threeIssues.slice(0, 1), 1),
      minutes(20),
      { receiver: { answer: 200 } },
      minutes(10),
    ]);

    expectPromiseKept(replayed, 1);
    const times = replayed.deliveries.map((line) => Date.parse(line.at));
    const gaps = times.slice(1).map((time, index) => Math.round((time - times[index]!) / 1000));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(300);
  });

  it('times out an attempt that gets no answer, and retries it', async () => {
    const replayed = await replay([
      jiraStep(threeIssues.slice(0, 1)),
      { receiver: { respond: ['timeout'] } },
      ...changeEvents(threeIssues.slice(0, 1), 2),
      minutes(10),
    ]);

    expectPromiseKept(replayed, 2);
    expect(replayed.deliveries[0]).toMatchObject({ status: null });
    expect(replayed.deliveries.filter((line) => line.status === 200)).toHaveLength(2);
  });
});

describe('tasksource down for 30 hours', () => {
  it('loses nothing: every change arrives once, in order, when it comes back', async () => {
    const replayed = await replay([
      jiraStep(threeIssues),
      { receiver: { answer: 503 } },
      ...threeChangesEach,
      hours(10),
      hours(10),
      hours(10),
      { receiver: { answer: 200 } },
      minutes(30),
    ]);

    const account = expectPromiseKept(replayed, 9);
    expect(account.deadLetters).toEqual([]);
    expect(Object.values(account.sequences)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    // Attempts went on well past the 24 hours a single queue event is kept.
    const first = Date.parse(replayed.deliveries[0]!.at);
    const last = Date.parse(replayed.deliveries.at(-1)!.at);
    expect(last - first).toBeGreaterThan(30 * 3_600_000);
    // The same delivery id on every attempt, counted by x-atlassian-webhook-retry.
    const firstId = replayed.deliveries[0]!.headers['x-atlassian-webhook-identifier'];
    const attempts = replayed.deliveries.filter(
      (line) => line.headers['x-atlassian-webhook-identifier'] === firstId,
    );
    expect(attempts.map((line) => Number(line.headers['x-atlassian-webhook-retry']))).toEqual(
      attempts.map((_, index) => index),
    );
  });

  it('keeps what outlasts the retry window as dead letters, with their reason', async () => {
    const replayed = await replay([
      jiraStep(threeIssues.slice(0, 2)),
      { receiver: { answer: 503 } },
      ...changeEvents(threeIssues.slice(0, 2), 2),
      hours(24),
      hours(24),
      hours(25),
    ]);

    const account = expectPromiseKept(replayed, 4);
    expect(account.accepted).toEqual([]);
    const letters = replayed.lines.filter(
      (line): line is Extract<ReplayLine, { type: 'deadletter' }> => line.type === 'deadletter',
    );
    expect(letters).toHaveLength(4);
    for (const letter of letters) expect(letter.reason).toBe('expired');
  });
});

describe('Jira and KVS under load', () => {
  it('decides again later when Jira answers 429 without Retry-After', async () => {
    const [only] = threeIssues;
    const replayed = await replay([
      jiraStep([only!]),
      {
        jira: {
          faults: [{ path: `/rest/api/2/issue/${only!.id}`, status: 429, times: 3 }],
        },
      },
      ...changeEvents([only!], 2),
      minutes(30),
    ]);

    const account = expectPromiseKept(replayed, 2);
    expect(account.sequences[only!.id]).toEqual([1, 2]);
    // Numbered before Jira could be asked, so the create still goes first.
    expect(replayed.deliveries.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'jira:issue_created',
      'jira:issue_updated',
    ]);
    expect(replayed.lines.filter((line) => line.type === 'queued').length).toBeGreaterThan(0);
  });

  it('rides out KVS rate limits on reads and writes', async () => {
    const replayed = await replay([
      jiraStep(threeIssues),
      {
        kvs: {
          faults: [
            { op: 'set', status: 429, times: 2 },
            { op: 'get', status: 429, times: 1 },
          ],
        },
      },
      ...threeChangesEach,
      minutes(30),
    ]);

    expectPromiseKept(replayed, 9);
  });
});

describe('events duplicated, reordered and at the same moment', () => {
  const [issue] = outsourcedIssues(1);
  const { id, issue: outsourced } = issue!;
  const at = (seconds: number) => String(1_796_119_200_000 + seconds * 1000);
  const created = makeEvent('avi:jira:created:issue', outsourced, { timestamp: at(0) });
  const update = (changelog: string, seconds: number) =>
    makeEvent('avi:jira:updated:issue', outsourced, {
      timestamp: at(seconds),
      changelog: assigneeChange(null, INTEGRATION, changelog),
    });

  it('delivers a change once however often Forge delivers its event', async () => {
    const assignment = assigneeChange(null, INTEGRATION, '900');
    const replayed = await replay([
      jiraStep([issue!]),
      { event: created },
      { event: created },
      { event: makeEvent('avi:jira:assigned:issue', outsourced, { changelog: assignment }) },
      { event: makeEvent('avi:jira:updated:issue', outsourced, { changelog: assignment }) },
      { parallel: [{ event: update('901', 9) }, { event: update('901', 9) }] },
      minutes(5),
    ]);

    const account = expectPromiseKept(replayed, 3);
    expect(account.sequences[id]).toEqual([1, 2, 3]);
  });

  it('skips a late event older than what tasksource has, never a second create', async () => {
    const replayed = await replay([
      jiraStep([issue!]),
      { event: update('910', 10) },
      { event: created },
      { event: update('911', 20) },
      { event: update('909', 5) },
    ]);

    expectPromiseKept(replayed, 2);
    expect(replayed.deliveries.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'jira:issue_updated',
      'jira:issue_updated',
    ]);
    expect(replayed.skips.map((line) => line.reason)).toEqual(['stale', 'stale']);
  });

  it('numbers changes handled at the same moment apart, and sends them in that order', async () => {
    const replayed = await replay([
      jiraStep([issue!]),
      { event: created },
      { parallel: [1, 2, 3, 4, 5].map((n) => ({ event: update(`92${n}`, n) })) },
      minutes(5),
    ]);

    const account = expectPromiseKept(replayed, 6);
    expect(account.sequences[id]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(replayed.kvs.plain[`issue:${id}`]).toMatchObject({
      state: 'outsourced',
      sequence: 6,
    });
    expect((replayed.kvs.plain[`issue:${id}`] as { deliveryIds: string[] }).deliveryIds).toEqual(
      account.accepted,
    );
  });
});

describe('a change no event reported', () => {
  it('is found by the hourly reconciliation and delivered', async () => {
    const [silent] = outsourcedIssues(1);
    const replayed = await replay([jiraStep([silent!]), hours(1), minutes(10)]);

    const account = expectPromiseKept(replayed, 1);
    expect(account.sequences[silent!.id]).toEqual([1]);
    expect(replayed.lines.filter((line) => line.type === 'scheduled')).toHaveLength(1);
    expect(bodyOf(replayed.deliveries[0]!).tasksource.state).toBe('outsourced');
  });
});

describe('an outage during a burst', () => {
  it('delivers 200 changes across 20 issues once each, in order per issue', async () => {
    const issues = outsourcedIssues(20, { comments: 5 });
    const replayed = await replay([
      jiraStep(issues),
      { receiver: { answer: 503 } },
      ...changeEvents(issues, 10),
      minutes(20),
      { receiver: { answer: 200 } },
      minutes(30),
    ]);

    const account = expectPromiseKept(replayed, 200);
    expect(account.deadLetters).toEqual([]);
    for (const { id } of issues) {
      expect(account.sequences[id]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });
});

describe('tasksource refusing', () => {
  it('keeps a refused change as a dead letter, and the next change of the issue still goes', async () => {
    const [issue] = outsourcedIssues(1);
    const replayed = await replay([
      jiraStep([issue!]),
      { receiver: { respond: [422] } },
      ...changeEvents([issue!], 3),
      minutes(5),
    ]);

    const account = expectPromiseKept(replayed, 3);
    expect(account.deadLetters).toHaveLength(1);
    expect(account.sequences[issue!.id]).toEqual([2, 3]);
  });
});

describe('dead letters resent from the admin page', () => {
  const admin = (call: string, payload: unknown = {}) => ({
    resolve: { module: 'admin', as: ADMIN, call, payload },
  });
  const issues = outsourcedIssues(2, { comments: 1 });

  it('after an outage longer than the retries: every change arrives once, same id', async () => {
    const replayed = await replay(
      [
        jiraStep(issues),
        { receiver: { answer: 503 } },
        ...changeEvents(issues, 3),
        hours(24),
        hours(24),
        hours(25),
        { receiver: { answer: 200 } },
        admin('admin/deliveries'),
        admin('admin/resend-all'),
        minutes(10),
      ],
      { jiraState: PAGE_SITE },
    );

    const letters = replayed.lines.filter((line) => line.type === 'deadletter');
    const account = expectPromiseKept(replayed, 6);
    expect(letters).toHaveLength(6);
    expect(account.deadLetters).toEqual([]);
    expect([...account.accepted].sort()).toEqual(
      letters.map((letter) => (letter as { deliveryId: string }).deliveryId).sort(),
    );
    const listed = replayed.lines.find((line) => line.type === 'resolve') as {
      data: { deadLetters: { reason: string; resentTogether: boolean }[] };
    };
    expect(listed.data.deadLetters).toHaveLength(6);
    expect(listed.data.deadLetters.every((letter) => letter.reason === 'expired')).toBe(true);
    for (const { id } of issues) expect(account.sequences[id]).toEqual([4, 5, 6]);
  });

  it('after tasksource disabled the endpoint (410): nothing is sent until reconnected', async () => {
    const replayed = await replay(
      [
        jiraStep(issues),
        { receiver: { respond: [410] } },
        ...changeEvents(issues, 2),
        minutes(10),
        admin('admin/resend-all'),
        admin('admin/save', { webhookUrl: WEBHOOK_URL, integrationAccountId: INTEGRATION }),
        admin('admin/resend-all'),
        minutes(10),
      ],
      { jiraState: PAGE_SITE },
    );

    const letters = replayed.lines.filter((line) => line.type === 'deadletter');
    const account = expectPromiseKept(replayed, 4);
    expect(letters).toHaveLength(4);
    expect(replayed.deliveries.filter((line) => line.status === 410)).toHaveLength(1);
    const [refused, saved, resent] = replayed.lines.filter(
      (line): line is Extract<ReplayLine, { type: 'resolve' }> => line.type === 'resolve',
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-connected' } });
    expect(saved).toMatchObject({ ok: true });
    expect(resent).toMatchObject({ ok: true, data: { resent: 4, remaining: 0 } });
    expect(account.accepted).toHaveLength(4);
    expect(account.deadLetters).toEqual([]);
  });
});
