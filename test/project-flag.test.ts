import type { ReplayLine } from '../local/replay/run-scenario';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../src/core/project-flag';
import type { ChecklistLine } from '../src/core/setup-checklist';
import { assigneeChange, INTEGRATION, makeEvent, makeIssue } from './support/builders';
import { LEAD, PAGE_SITE, PAGE_WEBHOOK_URL, ADMIN } from './support/page-users';
import { jiraTime, minutesAgo } from './support/reconcile';
import { bodyOf, replay } from './support/replay';

/**
 * The project flag end to end on the local platform: the project settings page sets it when it
 * saves, the manifest's trigger filter reads it before the app is invoked, the page says when
 * it is missing, and the hourly reconciliation sets it where a save could not (or an earlier
 * version never did).
 */

const FLAG_PATH = `/rest/api/3/project/10000/properties/${PROJECT_FLAG_KEY}`;
const issue = makeIssue({ updated: minutesAgo(30) });
const created = makeEvent('avi:jira:created:issue', issue);
const update = (changelog: string, at = Date.now()) =>
  makeEvent('avi:jira:updated:issue', issue, {
    changelog: assigneeChange(null, INTEGRATION, changelog),
    timestamp: String(at),
  });

const connect = {
  resolve: {
    module: 'admin',
    as: ADMIN,
    call: 'admin/save',
    payload: { webhookUrl: PAGE_WEBHOOK_URL, integrationAccountId: INTEGRATION },
  },
};
const project = (call: string, payload?: unknown) => ({
  resolve: { module: 'project-settings', projectId: '10000', as: LEAD, call, payload },
});
const save = (enabled = true) => project('project/save', { labels: ['acme-web'], enabled });

/** Configured through the pages only, as a real site is. */
function onPages(steps: unknown[]) {
  return replay(steps, { settings: null, jiraState: PAGE_SITE });
}

/** Configured by a scenario's settings, whose project lost its flag (an older version's). */
function withoutFlag(steps: unknown[]) {
  return replay(steps, {
    jira: { '10021': issue },
    jiraState: { projectProperties: { '10000': { [PROJECT_FLAG_KEY]: null } } },
  });
}

function eventsLineOf(line: ReplayLine | undefined): ChecklistLine | undefined {
  const data = (line as Extract<ReplayLine, { type: 'resolve' }> | undefined)?.data as
    { checklist: ChecklistLine[] } | undefined;
  return data?.checklist.find((item) => item.key === 'events');
}

const resolves = (lines: ReplayLine[]) => lines.filter((line) => line.type === 'resolve');
const ofType = <T extends ReplayLine['type']>(lines: ReplayLine[], type: T) =>
  lines.filter((line): line is Extract<ReplayLine, { type: T }> => line.type === type);

describe('saving project settings', () => {
  it('sets the project flag, and from then on the project’s events reach the app', async () => {
    const { lines, deliveries, result } = await onPages([
      connect,
      { jira: { issues: { '10021': issue } } },
      { event: created },
      save(),
      { event: update('10301') },
    ]);

    expect(ofType(lines, 'filtered')).toEqual([
      expect.objectContaining({ eventType: 'avi:jira:created:issue', projectId: '10000' }),
    ]);
    expect(result.platform.jira.projectProperties.get('10000', PROJECT_FLAG_KEY)).toEqual({
      configured: true,
    });
    expect(eventsLineOf(resolves(lines)[1])).toEqual({
      key: 'events',
      ok: true,
      message: 'Jira sends this project’s changes to the app.',
    });
    // The save's first reconciliation run finds the issue too; the event comes after it.
    expect(deliveries.map((line) => bodyOf(line).tasksource.reconciled ?? false)).toEqual([
      true,
      false,
    ]);
  });

  it('keeps the flag when forwarding is switched off, so outsourced issues are released', async () => {
    const { lines, deliveries, result } = await onPages([
      connect,
      save(),
      { jira: { issues: { '10021': issue } } },
      { event: created },
      save(false),
      { event: update('10302') },
    ]);

    expect(ofType(lines, 'filtered')).toEqual([]);
    expect(result.platform.jira.projectProperties.get('10000', PROJECT_FLAG_KEY)).toEqual(
      PROJECT_FLAG,
    );
    expect(deliveries.map((line) => bodyOf(line).tasksource)).toEqual([
      expect.objectContaining({ state: 'outsourced' }),
      expect.objectContaining({ state: 'released', reason: 'project-disabled' }),
    ]);
  });

  it.each([
    ['refuses it', 403, 'write-refused', 'Saved, but Jira refused to mark this project'],
    ['is not answering', 503, 'write-unavailable', 'Saved, but Jira did not answer'],
  ])('keeps the settings when Jira %s, and says so', async (_, status, _check, message) => {
    const { lines, kvs, result } = await onPages([
      connect,
      { jira: { faults: [{ path: FLAG_PATH, status }] } },
      save(),
      { jira: { issues: { '10021': issue } } },
      { event: created },
    ]);

    const answer = resolves(lines)[1] as Extract<ReplayLine, { type: 'resolve' }>;
    expect(answer).toMatchObject({ call: 'project/save', ok: true, error: null });
    expect(eventsLineOf(answer)).toEqual({
      key: 'events',
      ok: false,
      message: expect.stringContaining(message),
    });
    expect((kvs.secret['settings-v1'] as { projects: unknown }).projects).toEqual({
      '10000': { labels: ['acme-web'], enabled: true },
    });
    expect(result.platform.jira.projectProperties.get('10000', PROJECT_FLAG_KEY)).toBeUndefined();
    expect(ofType(lines, 'filtered')).toHaveLength(1);
  });

  it('reports no problem when Jira refuses the write but an earlier flag is still set', async () => {
    const { lines } = await onPages([
      connect,
      save(),
      { jira: { faults: [{ path: FLAG_PATH, status: 503 }] } },
      project('project/save', { labels: ['acme-web', 'ops'], enabled: true }),
    ]);

    expect(eventsLineOf(resolves(lines)[2])).toMatchObject({ ok: true });
  });
});

describe('the project page', () => {
  it('says when the flag is missing, and how to fix it', async () => {
    const { lines } = await withoutFlag([project('project/get')]);

    expect(eventsLineOf(resolves(lines)[0])).toEqual({
      key: 'events',
      ok: false,
      message: expect.stringContaining('the project’s tasksource flag is missing. Save again'),
    });
  });

  it('says so when Jira does not answer about the flag', async () => {
    const { lines } = await withoutFlag([
      { jira: { faults: [{ path: FLAG_PATH, status: 500 }] } },
      project('project/get'),
    ]);

    expect(eventsLineOf(resolves(lines)[0])).toMatchObject({
      ok: false,
      message: expect.stringContaining('reload to check again'),
    });
  });
});

describe('the hourly reconciliation', () => {
  it('sets a missing flag, finds the change the filter dropped, and lets later events in', async () => {
    // Changed again once the hour has passed on the emulated clock.
    const at = Date.now() + 59 * 60_000;
    const later = makeIssue({ updated: jiraTime(at) });
    const { lines, deliveries, result } = await withoutFlag([
      { event: update('10301') },
      { advance: { seconds: 3600 } },
      { jira: { issues: { '10021': later } } },
      { event: update('10302', at) },
    ]);

    expect(ofType(lines, 'filtered')).toEqual([
      expect.objectContaining({ projectId: '10000', reason: 'expression-false' }),
    ]);
    expect(ofType(lines, 'scheduled')[0]?.outcome).toMatchObject({
      outcome: 'reconciled',
      projectFlags: { checked: 1, repaired: 1, failed: 0 },
    });
    expect(result.platform.jira.projectProperties.get('10000', PROJECT_FLAG_KEY)).toEqual(
      PROJECT_FLAG,
    );
    expect(deliveries.map((line) => bodyOf(line).tasksource)).toEqual([
      expect.objectContaining({ state: 'outsourced', reconciled: true }),
      expect.objectContaining({ state: 'outsourced', eventType: 'avi:jira:updated:issue' }),
    ]);
  });

  it('tries again next hour when Jira refuses the repair, without stopping the run', async () => {
    const { lines, result } = await withoutFlag([
      { jira: { faults: [{ path: FLAG_PATH, status: 403 }] } },
      { advance: { seconds: 3600 } },
      { advance: { seconds: 3600 } },
    ]);

    const runs = ofType(lines, 'scheduled').map((line) => line.outcome);
    expect(runs).toEqual([
      expect.objectContaining({ missed: 1, projectFlags: { checked: 1, repaired: 0, failed: 1 } }),
      expect.objectContaining({ projectFlags: { checked: 1, repaired: 1, failed: 0 } }),
    ]);
    expect(result.platform.jira.projectProperties.get('10000', PROJECT_FLAG_KEY)).toEqual(
      PROJECT_FLAG,
    );
  });
});
