import { kvs } from '@forge/kvs';

import type { LocalForgePlatform } from '../local/platform/local-forge-platform';
import { LocalJira } from '../local/platform/local-jira';
import { createJiraIssueSearch } from '../src/adapters/jira-issue-search';
import { RetriableError } from '../src/core/errors';
import { parseJiraEvent } from '../src/core/jira-event';
import { createLogger } from '../src/core/logger';
import { continueReconciliation, onReconcile } from '../src/entry/on-reconcile';
import { JqlRefusedError } from '../src/reconcile/errors';
import { ALEX, INTEGRATION, makeIssue, OTHER_PROJECT } from './support/builders';
import {
  minutesAgo,
  outsourcedIssues,
  putRecord,
  queuedEvents,
  queuedMessages,
  setRemainingTime,
  startSite,
} from './support/reconcile';

/**
 * Reconciliation end to end on the local platform: the real entry, `@forge/api` search,
 * `@forge/kvs` state and records, `@forge/events` pushes, over loopback HTTP.
 */

let platform: LocalForgePlatform;

afterEach(async () => {
  await platform?.close();
});

const search = () => platform.jira.search.queries;

describe('the changed-issue search', () => {
  it('is one JQL per configured, enabled project, cut off before events still in flight', async () => {
    platform = await startSite({
      '10000': { labels: ['acme-web', 'say"what'], enabled: true },
      '10001': { labels: ['ops'], enabled: true },
      '10002': { labels: ['off'], enabled: false },
    });

    const summary = await onReconcile({}, {});

    expect(summary).toMatchObject({ outcome: 'reconciled', projects: 2, stoppedEarly: false });
    expect(search()).toHaveLength(2);
    expect(search()[0]).toMatch(
      /^project = "10000" AND assignee = "712020:[^"]+" AND labels in \("acme-web", "say\\"what"\) AND updated <= "\d{4}\/\d\d\/\d\d \d\d:\d\d"$/,
    );
    expect(search()[1]).toContain('project = "10001"');
    expect(search().join(' ')).not.toContain('10002');

    const cutOff = /updated <= "([^"]+)"/.exec(search()[0]!)![1]!;
    const cutOffMs = Date.parse(`${cutOff.replace(/\//g, '-').replace(' ', 'T')}:00Z`);
    expect(Date.now() - cutOffMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(Date.now() - cutOffMs).toBeLessThan(6 * 60_000 + 5_000);
  });

  it('looks back from the last run, with a margin, once a project was searched in full', async () => {
    platform = await startSite();
    await onReconcile({}, {});
    const state = (await kvs.get<Record<string, any>>('reconcile-state'))!;
    await kvs.set('reconcile-state', { ...state, lastRunAt: state.lastRunAt - 3_600_000 });

    await onReconcile({}, {});

    expect(search()[1]).toMatch(/ AND updated >= "[^"]+" AND updated <= "[^"]+"$/);
    const since = /updated >= "([^"]+)"/.exec(search()[1]!)![1]!;
    const sinceMs = Date.parse(`${since.replace(/\//g, '-').replace(' ', 'T')}:00Z`);
    expect(state.lastRunAt - 3_600_000 - sinceMs).toBeGreaterThanOrEqual(15 * 60_000);
    expect(state.lastRunAt - 3_600_000 - sinceMs).toBeLessThan(16 * 60_000);
  });

  it('pages with nextPageToken across 3 pages and queues each missed issue once', async () => {
    platform = await startSite();
    platform.jira.apply(outsourcedIssues(250));

    const summary = await onReconcile({}, {});

    expect(search()).toHaveLength(3);
    expect(new Set(search()).size).toBe(1);
    expect(summary).toMatchObject({ searched: 250, missed: 250, stoppedEarly: false });
    const ids = queuedEvents(platform).map((event) => event.issue.id);
    expect(new Set(ids).size).toBe(250);
  });
});

describe('a missed change', () => {
  it('is queued as a thin updated:issue event the trigger pipeline accepts', async () => {
    platform = await startSite();
    const updated = minutesAgo(30);
    platform.jira.apply({ '10021': makeIssue({ updated }) });

    await onReconcile({}, {});

    const [message] = queuedMessages(platform);
    expect(message).toMatchObject({ type: 'event', attempts: 0 });
    expect(Math.abs(message!.firstAttemptAt - Date.now())).toBeLessThan(10_000);
    expect(message!.event).toEqual({
      eventType: 'avi:jira:updated:issue',
      timestamp: Date.parse(updated.replace('+0000', 'Z')),
      issue: {
        id: '10021',
        key: 'KAN-22',
        fields: {
          updated,
          project: { id: '10000', key: 'KAN' },
          assignee: { accountId: INTEGRATION },
        },
      },
      tasksourceReconciled: true,
    });
    expect(parseJiraEvent(message!.event).ok).toBe(true);
  });

  it('is found when Jira changed the issue after the newest change tasksource got', async () => {
    platform = await startSite();
    const fresh = makeIssue({ id: '10021', updated: minutesAgo(20) });
    const stale = makeIssue({ id: '10022', key: 'KAN-23', updated: minutesAgo(20) });
    platform.jira.apply({ '10021': fresh, '10022': stale });
    await putRecord(fresh);
    await putRecord(stale, { lastChangeAt: Date.now() - 40 * 60_000 });

    const summary = await onReconcile({}, {});

    expect(summary).toMatchObject({ searched: 4, missed: 1, releases: 0 });
    expect(queuedEvents(platform).map((event) => event.issue.id)).toEqual(['10022']);
  });

  it('is left to its event while it may still be in flight (changed 2 minutes ago)', async () => {
    platform = await startSite();
    platform.jira.apply({ '10021': makeIssue({ updated: minutesAgo(2) }) });

    await onReconcile({}, {});

    expect(queuedEvents(platform)).toEqual([]);
  });

  it.each([
    ['assigned to a person', makeIssue({ assignee: ALEX })],
    ['carrying a look-alike label', makeIssue({ labels: ['Acme-web'] })],
    ['in a project with no mapping', makeIssue({ projectId: OTHER_PROJECT })],
  ])('is never queued for an issue %s', async (_, issue) => {
    platform = await startSite();
    platform.jira.apply({
      '10021': { ...issue, fields: { ...(issue.fields as object), updated: minutesAgo(30) } },
    });

    await onReconcile({}, {});

    expect(platform.queued).toEqual([]);
  });
});

describe('a record of an issue no longer outsourced', () => {
  it.each([
    ['relabelled', { '10021': makeIssue({ labels: ['other'] }) }],
    ['moved', { '10021': makeIssue({ projectId: OTHER_PROJECT }) }],
    ['unassigned', { '10021': makeIssue({ assignee: null }) }],
    ['deleted', {}],
  ])('gets an updated:issue event to release it when %s', async (_, jira) => {
    platform = await startSite();
    const kept = makeIssue({ id: '10030', key: 'KAN-30', updated: minutesAgo(60) });
    platform.jira.apply({ ...jira, '10030': kept });
    await putRecord(makeIssue({ updated: minutesAgo(90) }));
    await putRecord(kept);

    const summary = await onReconcile({}, {});

    expect(summary).toMatchObject({ releases: 1, missed: 0 });
    const [event] = queuedEvents(platform);
    expect(event).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      issue: { id: '10021', key: 'KAN-22', fields: {} },
      tasksourceReconciled: true,
    });
    // No project: the record's project may outsource nothing now; Jira says where it is.
    expect((event as { issue: { fields: object } }).issue.fields).not.toHaveProperty('project');
    expect(parseJiraEvent(event).ok).toBe(true);
  });

  it('is left alone when it is released already or belongs to an earlier connection', async () => {
    platform = await startSite();
    await putRecord(makeIssue({ id: '10021', updated: minutesAgo(90) }), { state: 'released' });
    await putRecord(makeIssue({ id: '10022', updated: minutesAgo(90) }), {
      connectionId: 'an-earlier-connection',
    });

    await onReconcile({}, {});

    expect(platform.queued).toEqual([]);
  });

  it('is released for every record once the project is disabled, without a search', async () => {
    platform = await startSite({ '10000': { labels: ['acme-web'], enabled: false } });
    platform.jira.apply({ '10021': makeIssue() });
    await putRecord(makeIssue({ updated: minutesAgo(90) }));

    const summary = await onReconcile({}, {});

    // The time zone and the project flag; no search.
    expect(summary).toMatchObject({ releases: 1, jiraRequests: 2 });
    expect(search()).toEqual([]);
  });
});

describe('a run that runs out of time', () => {
  afterEach(() => setRemainingTime(() => 25_000));

  it('saves its place, queues its continuation, and the consumer finishes it', async () => {
    platform = await startSite();
    platform.jira.apply(outsourcedIssues(250));
    let calls = 0;
    setRemainingTime(() => (++calls <= 2 ? 60_000 : 10_000));

    const first = await onReconcile({}, {});

    expect(first).toMatchObject({ outcome: 'reconciled', stoppedEarly: true, missed: 100 });
    const resume = queuedMessages(platform).find((body) => body.type === 'reconcile')!;
    expect(resume).toEqual({ type: 'reconcile', resume: { runId: expect.any(String), step: 1 } });

    setRemainingTime(() => 60_000);
    const rest = await continueReconciliation(resume as any);

    expect(rest).toMatchObject({ outcome: 'reconciled', stoppedEarly: false, missed: 150 });
    const ids = queuedEvents(platform).map((event) => event.issue.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(search()).toHaveLength(3);

    expect(await continueReconciliation(resume as any)).toEqual({
      outcome: 'skipped',
      reason: 'stale-resume',
    });
  });

  it('carries on from the saved state at the next scheduled run if the message is lost', async () => {
    platform = await startSite();
    platform.jira.apply(outsourcedIssues(150));
    let calls = 0;
    setRemainingTime(() => (++calls <= 2 ? 60_000 : 10_000));
    await onReconcile({}, {});

    setRemainingTime(() => 60_000);
    const next = await onReconcile({}, {});

    expect(next).toMatchObject({ stoppedEarly: false, missed: 50 });
    expect(new Set(queuedEvents(platform).map((event) => event.issue.id)).size).toBe(150);
  });
});

describe('the stored state', () => {
  it('is read as a fresh start when it does not fit its schema, with a warning', async () => {
    platform = await startSite();
    platform.jira.apply({ '10021': makeIssue({ updated: minutesAgo(30) }) });
    await kvs.set('reconcile-state', { version: 7, run: 'half-written' });
    const written: string[] = [];
    const spy = jest.spyOn(console, 'warn').mockImplementation((line: unknown) => {
      written.push(String(line));
    });
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const summary = await onReconcile({}, {});
      expect(summary).toMatchObject({ outcome: 'reconciled', missed: 1 });
    } finally {
      process.env.LOG_LEVEL = level;
      spy.mockRestore();
    }

    expect(written.join('\n')).toContain('does not fit its schema; starting afresh');
    expect(await kvs.get('reconcile-state')).toMatchObject({
      version: 1,
      lastRunAt: expect.any(Number),
    });
  });

  it('answers a failed outcome, never a throw, when Jira keeps failing', async () => {
    platform = await startSite();
    platform.jira.faults.add([{ match: '/rest/api/3/search/jql', status: 503, times: 5 }]);

    expect(await onReconcile({}, {})).toEqual({
      outcome: 'failed',
      reason: '[jira] Searching issues answered 503',
    });
  });
});

describe('two runs at once', () => {
  it('take turns: one reconciles, the other skips, and nothing is queued twice', async () => {
    platform = await startSite();
    platform.jira.apply(outsourcedIssues(30));

    const outcomes = await Promise.all([onReconcile({}, {}), onReconcile({}, {})]);

    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['reconciled', 'skipped']);
    expect(outcomes).toContainEqual({ outcome: 'skipped', reason: 'already-running' });
    expect(queuedEvents(platform)).toHaveLength(30);
  });

  it('sends a queued message back to the queue while another run holds the lock', async () => {
    platform = await startSite();
    await kvs.set('reconcile-lock', { token: 'other', expiresAt: Date.now() + 60_000 });

    await expect(
      continueReconciliation({ type: 'reconcile', projectIds: ['10000'] }),
    ).rejects.toBeInstanceOf(RetriableError);
  });

  it('takes over a lock left past its expiry by a run that died', async () => {
    platform = await startSite();
    await kvs.set('reconcile-lock', { token: 'dead', expiresAt: Date.now() - 1 });

    expect(await onReconcile({}, {})).toMatchObject({ outcome: 'reconciled' });
    expect(await kvs.get('reconcile-lock')).toBeUndefined();
  });

  it('does not repeat a run that finished a minute ago (a duplicate firing)', async () => {
    platform = await startSite();
    await onReconcile({}, {});

    expect(await onReconcile({}, {})).toEqual({ outcome: 'skipped', reason: 'ran-recently' });
  });
});

describe('the search/jql of the local Jira', () => {
  it.each([
    'project = KAN',
    'project = "10000" AND assignee = "x" AND labels in ("a") ORDER BY created',
    'project = "10000" AND assignee = "x" AND labels in ("a") AND updated <= "2026-12-01"',
    'id in (1) AND (project = "10000")',
  ])('refuses JQL the app does not write: %s', (jql) => {
    const answer = new LocalJira().handle('POST', '/rest/api/3/search/jql', { jql });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ errorMessages: [expect.stringContaining('JQL')], errors: {} });
  });

  it('answers the app only, and the app adapter reports a refusal as JqlRefusedError', async () => {
    platform = await startSite();
    const asUser = platform.jira.handle(
      'POST',
      '/rest/api/3/search/jql',
      { jql: 'x' },
      { provider: 'user', user: { accountId: ALEX, permissions: [] } },
    );
    expect(asUser.status).toBe(403);

    const refused = createJiraIssueSearch(createLogger({ level: 'silent' })).search(
      'project = KAN',
      undefined,
    );
    await expect(refused).rejects.toBeInstanceOf(JqlRefusedError);
  });
});
