import type { ReplayLine } from '../local/replay/run-scenario';
import { expectPromiseKept } from './support/delivery-invariants';
import { changeEvents, hours, jiraStep, minutes, outsourcedIssues } from './support/fault-matrix';
import { replay } from './support/replay';

/**
 * Issue 4's fault matrix: tasksource down for minutes, for 30 hours,
 * and for longer than the retries. Each case is a replay scenario on the local runtime,
 * the emulated clock moving Forge's queue and schedules on. Whatever the fault, every
 * outsourced change reaches tasksource exactly once by delivery id, in sequence order per
 * issue, or sits in dead letters with its reason; and no invocation runs over its Forge time
 * limit (`expectPromiseKept`).
 */

jest.setTimeout(120_000);

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
