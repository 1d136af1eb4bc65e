import { kvs } from '@forge/kvs';

import type { LocalForgePlatform } from '../local/platform/local-forge-platform';
import { continueReconciliation, onReconcile } from '../src/entry/on-reconcile';
import {
  minutesAgo,
  outsourcedIssues,
  putRecord,
  queuedMessages,
  startSite,
} from './support/reconcile';

/**
 * What a run costs in Jira requests for 1,000 outsourced issues, measured on the local Jira
 * (which counts every request the app makes): the first run, which finds them all, and a
 * quiet hour afterwards, when tasksource already has every change. Each full run also reads
 * the flag of its one configured project.
 */

let platform: LocalForgePlatform;
afterEach(() => platform?.close());

/** Runs one whole run: the scheduled invocation and every continuation it queues. */
async function wholeRun() {
  let summary = await onReconcile({}, {});
  for (let hops = 0; summary.outcome === 'reconciled' && summary.stoppedEarly; hops += 1) {
    const resume = queuedMessages(platform)
      .filter((body) => body.type === 'reconcile')
      .at(-1);
    summary = await continueReconciliation(resume as any);
    if (hops > 20) throw new Error('the run does not end');
  }
  return summary;
}

describe('Jira requests per 1,000 outsourced issues', () => {
  it('first run: 1 time-zone read + 1 project flag + 10 search pages, over 4 invocations', async () => {
    platform = await startSite();
    platform.jira.apply(outsourcedIssues(1000));

    await wholeRun();

    const events = queuedMessages(platform).filter((body) => body.type === 'event');
    expect(events).toHaveLength(1000);
    expect(platform.jira.requests).toHaveLength(12);
    expect(queuedMessages(platform).filter((body) => body.type === 'reconcile')).toHaveLength(3);
  }, 60_000);

  it('a quiet hour with every issue recorded: 1 + 1 flag + 20 id searches + 1 change search', async () => {
    platform = await startSite();
    const issues = outsourcedIssues(1000, minutesAgo(180));
    platform.jira.apply(issues);
    for (const issue of Object.values(issues)) await putRecord(issue);
    const full = await wholeRun();
    expect(full).toMatchObject({ missed: 0, releases: 0 });
    expect(platform.jira.requests).toHaveLength(1 + 1 + 20 + 10);

    const state = (await kvs.get<Record<string, any>>('reconcile-state'))!;
    await kvs.set('reconcile-state', { ...state, lastRunAt: state.lastRunAt - 3_600_000 });
    platform.jira.requests.length = 0;
    const quiet = await wholeRun();

    expect(quiet).toMatchObject({ missed: 0, releases: 0 });
    expect(platform.jira.requests).toHaveLength(1 + 1 + 20 + 1);
  }, 60_000);
});
