// First: `@forge/api` takes the global `fetch` when it is first loaded.
import './in-process-egress';

import { kvs } from '@forge/kvs';

import { createKvsSettingsStore } from '../src/adapters/kvs-settings-store';
import { saveProjectSettings } from '../src/settings/settings-service';
import { makeIssue, OTHER_PROJECT, PROJECT, SITE } from '../test/support/builders';
import { ADMIN, LEAD } from '../test/support/page-users';
import { connectBenchSite } from './bench-site';
import { commentOf, outsourcedIssue, releaseOf, strangers, updateOf } from './event-mix';
import type { Answer, MemorySession } from './memory-session';

/**
 * The heaviest work of each kind of function, from the benchmark and the tests, invocation
 * after invocation as one warm Forge container would run it. Each throws when the work did not
 * happen as expected, so a run under a heap limit passes only by doing all of it.
 */

export const KINDS = ['trigger', 'consumer', 'reconcile', 'admin-page', 'project-page'] as const;
export type Kind = (typeof KINDS)[number];

/** The manifest functions each workload measures. */
export const FUNCTIONS: Record<Kind, string> = {
  trigger: 'on-jira-event',
  consumer: 'on-delivery-queue',
  reconcile: 'on-reconcile',
  'admin-page': 'admin-page-resolver',
  'project-page': 'project-page-resolver',
};

export const DESCRIPTIONS: Record<Kind, string> = {
  trigger: 'bench classes, a 1 MB issue, 1,000 issues recorded, a 100,000-event mix',
  consumer: '520 changes (20 of a 1 MB issue) through a 24 h outage, a 1,000-issue catch-up',
  reconcile: 'two runs over 2,000 outsourced issues tasksource never heard of',
  'admin-page': '100 dead letters, 200 deliveries: listed 5 times, then all resent at once',
  'project-page': 'the same log listed, 2,000 site labels paged, look-alike checks on save',
};

export interface WorkloadOptions {
  /** Outsourced issues the trigger delivers before its busy-site mix. */
  readonly recordedIssues: number;
  /** Events in the trigger's busy-site mix. */
  readonly scaleEvents: number;
  /** Missed issues the consumer catches up on after its outage. */
  readonly catchUpIssues: number;
}

/** The measured runs; the runs under a heap cap use `TRIAL` (the heaviest invocations stay). */
export const FULL: WorkloadOptions = {
  recordedIssues: 1_000,
  scaleEvents: 100_000,
  catchUpIssues: 1_000,
};
export const TRIAL: WorkloadOptions = {
  recordedIssues: 200,
  scaleEvents: 1_000,
  catchUpIssues: 100,
};

export async function runWorkload(
  kind: Kind,
  session: MemorySession,
  options: WorkloadOptions,
): Promise<void> {
  await connectBenchSite();
  await WORKLOADS[kind](session, options);
}

const WORKLOADS: Record<Kind, (s: MemorySession, options: WorkloadOptions) => Promise<void>> = {
  trigger,
  consumer,
  reconcile,
  'admin-page': adminPage,
  'project-page': projectPage,
};

async function trigger(s: MemorySession, options: WorkloadOptions): Promise<void> {
  const run = (event: unknown) => s.invoke('onJiraEvent', event, 25);
  s.platform.jira.apply({ '90001': strangers.unconfigured, '90002': strangers.someoneElses });
  for (let n = 1; n <= 25; n += 1) {
    const issue = outsourcedIssue(n, 1);
    s.platform.jira.apply({ [String(issue.id)]: issue });
    await run(updateOf(strangers.unconfigured, n));
    await run(updateOf(strangers.someoneElses, n));
    await run(updateOf(issue, n));
    await run(updateOf(issue, n));
    await run(commentOf(issue, n + 1));
    const released = { ...issue, fields: { ...(issue.fields as object), assignee: null } };
    s.platform.jira.apply({ [String(issue.id)]: released });
    await run(releaseOf(issue, n + 2));
  }
  // An issue as large as Jira makes them: 200 long text fields, about 1 MB read and sent.
  const large = largeIssue();
  s.platform.jira.apply({ [String(large.id)]: large });
  for (let n = 1; n <= 20; n += 1) await run(updateOf(large, 4_000_000 + n));
  const recorded = options.recordedIssues;
  for (let i = 0; i < recorded; i += 1) {
    const issue = outsourcedIssue(1_000_000 + i);
    s.platform.jira.apply({ [String(issue.id)]: issue });
    await run(updateOf(issue, 1_000_000 + i));
  }
  await s.mark();
  // Mostly issues nobody outsourced, as on a real site; one in twenty is outsourced.
  for (let batch = 0; batch < options.scaleEvents; batch += 1_000) {
    const events = Array.from({ length: Math.min(1_000, options.scaleEvents - batch) }, (_, j) => {
      const i = batch + j;
      const issue =
        i % 20 === 0 ? outsourcedIssue(1_000_000 + (i % recorded)) : strangers.someoneElses;
      return updateOf(issue, 3_000_000 + i);
    });
    await s.invokeEach('onJiraEvent', events, 25);
  }
  const expected = 20 + recorded + options.scaleEvents / 20;
  expect(s.egressRequests >= expected, 'the changes were delivered');
}

/**
 * An issue with the most changes the app lets wait (500), and 20 changes of a 1 MB issue,
 * through a day of tasksource answering 503, drained when it comes back; then a reconciliation
 * of missed issues carried on by the consumer, and the changes it queued.
 */
async function consumer(s: MemorySession, options: WorkloadOptions): Promise<void> {
  const issue = outsourcedIssue(1);
  const large = largeIssue();
  s.platform.jira.apply({ [String(issue.id)]: issue, [String(large.id)]: large });
  s.setEgress(503);
  for (let n = 1; n <= 20; n += 1) await s.invoke('onJiraEvent', updateOf(large, n), 25);
  for (let n = 1; n <= 500; n += 1) await s.invoke('onJiraEvent', updateOf(issue, n), 25);
  await consumeQueue(s, 24);
  expect(s.egressRequests > 100, 'the first changes were retried through the outage');

  s.setEgress(200);
  const before = s.egressRequests;
  await consumeQueue(s, 1);
  expect(s.egressRequests - before >= 520, 'the 520 waiting changes were delivered');
  await s.mark();

  s.platform.jira.apply(missedIssues(s, options.catchUpIssues));
  expect((await s.invoke('onReconcile', {}, 120)).outcome === 'reconciled', 'it reconciled');
  const caughtUp = s.egressRequests;
  await consumeQueue(s, 1);
  expect(s.egressRequests - caughtUp >= options.catchUpIssues, 'the missed changes were sent');
}

/**
 * Hands queued events to the consumer in the order they fall due, moving the clock to each,
 * until none is due within `hours`; a retry the consumer asks for is queued again.
 */
async function consumeQueue(s: MemorySession, hours: number): Promise<void> {
  const { queued } = s.platform;
  const until = s.clock.now() + hours * 3_600_000;
  for (;;) {
    queued.sort((a, b) => a.dueAt - b.dueAt);
    const next = queued[0];
    if (!next || next.dueAt > until) return;

    queued.shift();
    s.clock.moveTo(next.dueAt);
    const retryAfter = (await s.invoke('onDeliveryQueue', { body: next.body }, 120)).retryOptions
      ?.retryAfter;
    if (retryAfter !== undefined) {
      queued.push({ body: next.body, dueAt: s.clock.now() + retryAfter * 1000 });
    }
  }
}

/** A first run over 2,000 outsourced issues tasksource never heard of, then the next hour's. */
async function reconcile(s: MemorySession): Promise<void> {
  s.platform.jira.apply(missedIssues(s, 2_000));
  for (let run = 1; run <= 2; run += 1) {
    let summary: Answer = await s.invoke('onReconcile', {}, 120);
    for (let hops = 0; summary.outcome === 'reconciled' && summary.stoppedEarly; hops += 1) {
      expect(hops < 20, 'the run ends');
      // The consumer carries a run on; here it is called directly, as the consumer would.
      summary = await s.invoke('continueReconciliation', bodiesOf(s, 'reconcile').at(-1), 120);
    }
    expect(summary.outcome === 'reconciled', 'reconciliation ran');
    expect(bodiesOf(s, 'event').length === 2_000 * run, 'every missed issue was queued');

    // The next hour's run looks back over the same changes, so it finds them all again.
    const state = await kvs.get<{ lastRunAt?: number }>('reconcile-state');
    expect(typeof state?.lastRunAt === 'number', 'the run saved where it stopped');
    await kvs.set('reconcile-state', { ...state, lastRunAt: (state?.lastRunAt ?? 0) - 7_200_000 });
    s.clock.advance(3_600);
    if (run === 1) await s.mark();
  }
}

async function adminPage(s: MemorySession): Promise<void> {
  await fillDeliveryLog(s);
  s.platform.actingUser = ADMIN;
  const call = pageCall(s, 'adminPageResolver', 'jira:adminPage', undefined);
  for (let i = 0; i < 5; i += 1) {
    expect((await call('admin/get')).ok === true, 'admin/get answered');
    const listed = await call('admin/deliveries');
    expect(listed.data?.deadLetters?.length === 100, 'the 100 dead letters are listed');
    expect(listed.data?.deliveries?.length === 100, 'the last 100 deliveries are listed');
    if (i === 0) await s.mark();
  }
  const resent = await call('admin/resend-all');
  expect(resent.data?.resent === 100, 'the 100 dead letters were resent');
}

async function projectPage(s: MemorySession): Promise<void> {
  await fillDeliveryLog(s);
  s.platform.actingUser = LEAD;
  s.platform.jira.directory.addLabels(Array.from({ length: 2_000 }, (_, i) => `team-${i}`));
  const call = pageCall(s, 'projectPageResolver', 'jira:projectSettingsPage', PROJECT);
  for (let i = 0; i < 5; i += 1) {
    expect((await call('project/get')).ok === true, 'project/get answered');
    const listed = await call('project/deliveries');
    expect(listed.data?.deliveries?.length === 100, 'the last 100 deliveries are listed');
    for (let startAt = 0; startAt < 2_000; startAt += 100) {
      expect((await call('project/labels', { startAt })).ok === true, 'project/labels answered');
    }
    const labels = Array.from({ length: 10 }, (_, n) => `team-${n * 7}`);
    expect((await call('project/save', { labels, enabled: true })).ok === true, 'it saved');
    if (i === 0) await s.mark();
  }
}

/**
 * 100 changes tasksource refused with 410 (dead letters, resent together), then, once the
 * connection is saved again, 100 deliveries in each of two projects.
 */
async function fillDeliveryLog(s: MemorySession): Promise<void> {
  const forward = async (issue: Record<string, unknown>, n: number) => {
    s.platform.jira.apply({ [String(issue.id)]: issue });
    await s.invoke('onJiraEvent', updateOf(issue, n), 25);
  };
  await saveProjectSettings(createKvsSettingsStore(), OTHER_PROJECT, {
    labels: ['acme-web'],
    enabled: true,
  });
  s.setEgress(410);
  for (let n = 1; n <= 100; n += 1) await forward(outsourcedIssue(n), n);
  await connectBenchSite();
  s.setEgress(200);
  for (let n = 101; n <= 200; n += 1) {
    await forward(outsourcedIssue(n), n);
    await forward(
      makeIssue({ id: String(200_000 + n), key: `OPS-${n}`, projectId: OTHER_PROJECT }),
      n,
    );
  }
}

function pageCall(
  s: MemorySession,
  handler: 'adminPageResolver' | 'projectPageResolver',
  type: string,
  projectId: string | undefined,
) {
  const context = {
    cloudId: '00000000-0000-4000-8000-00000000c10d',
    siteUrl: SITE,
    extension: { type, ...(projectId ? { project: { id: projectId, key: 'KAN' } } : {}) },
  };
  return (functionKey: string, payload: unknown = {}) =>
    s.invoke(handler, { call: { functionKey, payload }, context }, 25, {
      principal: { accountId: s.platform.actingUser?.accountId },
    });
}

function bodiesOf(s: MemorySession, type: string): unknown[] {
  return s.platform.queued
    .map((event) => event.body)
    .filter((body) => (body as { type?: unknown }).type === type);
}

/** `count` outsourced issues of project 10000, changed an hour ago, that no event reported. */
function missedIssues(s: MemorySession, count: number): Record<string, unknown> {
  const updated = new Date(s.clock.now() - 3_600_000).toISOString().replace('Z', '+0000');
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => {
      const id = String(20_000 + index);
      return [id, makeIssue({ id, key: `KAN-${index + 1}`, updated })];
    }),
  );
}

function largeIssue(): Record<string, unknown> {
  const issue = outsourcedIssue(5_000_000);
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(90);
  const custom = Object.fromEntries(
    Array.from({ length: 200 }, (_, n) => [`customfield_${10_100 + n}`, text]),
  );
  return { ...issue, fields: { ...(issue.fields as object), ...custom, description: text } };
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`[memory] The workload did not run as expected: ${what}`);
}
