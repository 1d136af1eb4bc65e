import { assigneeChange, INTEGRATION, makeEvent } from './support/builders';
import { expectPromiseKept } from './support/delivery-invariants';
import {
  changeEvents,
  hours,
  jiraStep,
  minutes,
  outsourcedIssues,
  changesOf,
} from './support/fault-matrix';
import { bodyOf, replay } from './support/replay';

/**
 * Issue 4's fault matrix: Jira and KVS under load; events duplicated, reordered, concurrent or
 * never fired; a burst; a refusal. Each case is a replay scenario on the local runtime, the
 * emulated clock moving Forge's queue and schedules on. Whatever the fault, every
 * outsourced change reaches tasksource exactly once by delivery id, in sequence order per
 * issue, or sits in dead letters with its reason; and no invocation runs over its Forge time
 * limit (`expectPromiseKept`).
 */

jest.setTimeout(120_000);

const threeIssues = outsourcedIssues(3, { comments: 1 });
const threeChangesEach = changeEvents(threeIssues, 3);

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
  const { created, update } = changesOf(outsourced);

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

describe('tasksource not answering at all', () => {
  it('times out an attempt that gets no answer, and retries it', async () => {
    const replayed = await replay([
      jiraStep(threeIssues.slice(0, 1)),
      { receiver: { respond: ['timeout'] } },
      ...changeEvents(threeIssues.slice(0, 1), 2),
      minutes(10),
    ]);

    expectPromiseKept(replayed, 2);
    expect(replayed.deliveries[0]).toMatchObject({ status: null });
    const retried = replayed.lines.filter(
      (line) => line.type === 'retry' || line.type === 'queued',
    );
    expect(JSON.stringify(retried)).toContain('The request to tasksource timed out');
    expect(replayed.deliveries.filter((line) => line.status === 200)).toHaveLength(2);
  });
});
