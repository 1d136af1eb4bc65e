import type { LocalForgePlatform } from '../local/platform/local-forge-platform';
import type { TasksourceReceiver } from '../local/receiver/tasksource-receiver';
import {
  ALEX,
  assigneeChange,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
  makeSettings,
  OTHER_PROJECT,
  SITE,
} from './support/builders';
import { withRunningScenario } from './support/replay';

/**
 * Issue 5's call budgets, on call counts (never on time), one test per class of event, on the
 * real trigger and the local platform: what one event costs once the site is set up. A KVS
 * transaction is one write request, as Forge rates it (`local-kvs.ts`).
 */

interface Cost {
  invocations: number;
  jiraRequests: number;
  kvsReads: number;
  settingsReads: number;
  kvsWrites: number;
  queuePushes: number;
  egress: number;
}

const comment = makeComment();
const outsourced = makeIssue({ comments: [comment] });
const someoneElses = makeIssue({ assignee: ALEX });
const elsewhere = makeIssue({ projectId: OTHER_PROJECT });
const unassigned = makeIssue({ assignee: null });
/** A flag the trigger filter cannot read: Forge then delivers the event (`RECEIVE_AND_LOG`). */
const unreadableFlag = { [OTHER_PROJECT]: { 'tasksource-for-jira': 'not an object' } };
const update = (issue: Record<string, unknown>, changelog: string, from: string | null = null) =>
  makeEvent('avi:jira:updated:issue', issue, {
    changelog: assigneeChange(from, from ? null : INTEGRATION, changelog),
  });

/**
 * What handling `event` cost, after `before` ran on a connected site whose one project
 * outsources; `now` is the issue as Jira has it when `event` fires.
 */
async function costOf(
  event: Record<string, unknown>,
  issues: { before: Record<string, unknown>; now?: Record<string, unknown> },
  before: Record<string, unknown>[] = [],
  projectProperties: Record<string, Record<string, unknown>> = {},
): Promise<Cost> {
  const scenario = {
    settings: makeSettings(),
    site: { cloudId: 'cloud-0001', baseUrl: SITE },
    jira: { issues: { [String(issues.before.id)]: issues.before }, projectProperties },
    steps: before.map((step) => ({ event: step })),
  };
  return withRunningScenario(scenario, async ({ platform, receiver }) => {
    if (issues.now) platform.jira.apply({ [String(issues.now.id)]: issues.now });
    const start = counts(platform, receiver);
    await platform.fireTrigger(event);
    const end = counts(platform, receiver);
    return Object.fromEntries(
      Object.entries(end).map(([key, value]) => [key, value - start[key as keyof Cost]]),
    ) as unknown as Cost;
  });
}

function counts(platform: LocalForgePlatform, receiver: TasksourceReceiver): Cost {
  return {
    invocations: platform.invocations.length,
    jiraRequests: platform.jira.requests.length,
    kvsReads: platform.kvs.counters.reads,
    settingsReads: platform.kvs.counters.secretReads,
    kvsWrites: platform.kvs.counters.writes,
    queuePushes: platform.queued.length,
    egress: receiver.deliveries.length,
  };
}

describe('what an event costs', () => {
  it('from a project that outsources nothing: the platform drops it, the app never starts', async () => {
    const cost = await costOf(update(elsewhere, '1'), { before: elsewhere });

    expect(cost).toEqual({
      invocations: 0,
      jiraRequests: 0,
      kvsReads: 0,
      settingsReads: 0,
      kvsWrites: 0,
      queuePushes: 0,
      egress: 0,
    });
  });

  it('from a project that outsources nothing, the filter failing open: no Jira, only the settings read, nothing written', async () => {
    const cost = await costOf(update(elsewhere, '1'), { before: elsewhere }, [], unreadableFlag);

    expect(cost).toMatchObject({ invocations: 1, jiraRequests: 0, kvsWrites: 0, egress: 0 });
    expect(cost.kvsReads).toBeLessThanOrEqual(1);
    expect(cost.queuePushes).toBe(0);
  });

  it('not outsourced (no record, the payload names someone else): no Jira, ≤ 2 reads, nothing written', async () => {
    const cost = await costOf(update(someoneElses, '1'), { before: someoneElses });

    expect(cost).toMatchObject({ invocations: 1, jiraRequests: 0, kvsWrites: 0, egress: 0 });
    expect(cost.kvsReads).toBeLessThanOrEqual(2);
    expect(cost.queuePushes).toBe(0);
  });

  it('a duplicate: no Jira, ≤ 2 reads, nothing written or sent', async () => {
    const event = update(outsourced, '2');
    const cost = await costOf(event, { before: outsourced }, [event]);

    expect(cost).toMatchObject({ invocations: 1, jiraRequests: 0, kvsWrites: 0, egress: 0 });
    expect(cost.kvsReads).toBeLessThanOrEqual(2);
    expect(cost.queuePushes).toBe(0);
  });

  it('a forwarded issue change: one Jira read, ≤ 2 reads, ≤ 2 writes, one POST', async () => {
    const cost = await costOf(update(outsourced, '3'), { before: outsourced });

    expect(cost).toMatchObject({ invocations: 1, jiraRequests: 1, egress: 1, queuePushes: 0 });
    expect(cost.kvsReads).toBeLessThanOrEqual(2);
    expect(cost.kvsWrites).toBeLessThanOrEqual(2);
  });

  it('a release: one Jira read, ≤ 2 reads, ≤ 2 writes, one POST', async () => {
    const cost = await costOf(
      update(unassigned, '5', INTEGRATION),
      { before: outsourced, now: unassigned },
      [update(outsourced, '4')],
    );

    expect(cost).toMatchObject({ invocations: 1, jiraRequests: 1, egress: 1, queuePushes: 0 });
    expect(cost.kvsReads).toBeLessThanOrEqual(2);
    expect(cost.kvsWrites).toBeLessThanOrEqual(2);
  });

  it('a forwarded comment: ≤ 2 Jira reads, ≤ 2 reads, ≤ 2 writes, one POST', async () => {
    const cost = await costOf(
      makeCommentEvent('avi:jira:commented:issue', outsourced, comment),
      { before: outsourced },
      [update(outsourced, '6')],
    );

    expect(cost).toMatchObject({ invocations: 1, egress: 1, queuePushes: 0 });
    expect(cost.jiraRequests).toBeLessThanOrEqual(2);
    expect(cost.kvsReads).toBeLessThanOrEqual(2);
    expect(cost.kvsWrites).toBeLessThanOrEqual(2);
  });
});

describe('the settings', () => {
  it.each([
    ['a project that outsources nothing', update(elsewhere, '7'), elsewhere],
    ['a forwarded change', update(outsourced, '8'), outsourced],
    ['a comment', makeCommentEvent('avi:jira:commented:issue', outsourced, comment), outsourced],
  ])('are read once per invocation, for %s', async (_, event, issue) => {
    const cost = await costOf(event, { before: issue }, [], unreadableFlag);

    expect(cost).toMatchObject({ invocations: 1, settingsReads: 1 });
  });
});
