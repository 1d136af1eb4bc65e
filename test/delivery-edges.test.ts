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
} from './support/builders';
import { expectPromiseKept } from './support/delivery-invariants';
import { ADMIN, PAGE_SITE } from './support/page-users';
import { bodyOf, replay } from './support/replay';
import { minutesAgo } from './support/reconcile';

/**
 * Edges of the forwarding rules under delivery: a release racing a comment and an edit,
 * same-millisecond changes, moves between configured projects, the payload pre-check, Resend
 * after the issue was deleted.
 * (From a break-it pass: these held, and stay as regressions.)
 */

jest.setTimeout(120_000);

const at = (n: number) => String(1_796_119_200_000 + n);
const upd = (issue: Record<string, unknown>, id: string, ms: number) =>
  makeEvent('avi:jira:updated:issue', issue, {
    timestamp: at(ms),
    changelog: assigneeChange(null, INTEGRATION, id),
  });

describe('same-millisecond timestamps', () => {
  it('delivers distinct updates of one millisecond, whatever order they arrive in', async () => {
    const issue = makeIssue();
    const replayed = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue, { timestamp: at(0) }) },
      { event: upd(issue, '602', 5) },
      { event: upd(issue, '601', 5) },
      { parallel: [{ event: upd(issue, '603', 5) }, { event: upd(issue, '604', 5) }] },
      { event: upd(issue, '600', 4) },
      { advance: { seconds: 120 } },
    ]);
    const account = expectPromiseKept(replayed, 5);
    expect(replayed.skips.map((s) => s.reason)).toEqual(['stale']);
    expect(account.sequences['10021']).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('an issue moved between two configured projects while its changes wait', () => {
  it('is delivered as outsourced in its new project, in order, with no release', async () => {
    const issue = makeIssue();
    const moved = { ...makeIssue({ projectId: OTHER_PROJECT }), key: 'OPS-7' };
    const replayed = await replay(
      [
        { jira: { issues: { '10021': issue } } },
        { event: makeEvent('avi:jira:created:issue', issue, { timestamp: at(0) }) },
        { receiver: { answer: 503 } },
        { event: upd(issue, '610', 1000) },
        { jira: { issues: { '10021': moved } } },
        { event: upd(moved, '611', 2000) },
        { advance: { seconds: 600 } },
        { receiver: { answer: 200 } },
        { advance: { seconds: 1800 } },
        { resolve: { module: 'admin', as: ADMIN, call: 'admin/deliveries', payload: {} } },
      ],
      {
        settings: makeSettings({
          projects: {
            '10000': { labels: ['acme-web'], enabled: true },
            [OTHER_PROJECT]: { labels: ['acme-web'], enabled: true },
          },
        }),
        jiraState: {
          ...PAGE_SITE,
          projects: { ...PAGE_SITE.projects, [OTHER_PROJECT]: { key: 'OPS', name: 'Ops' } },
        },
      },
    );
    const accepted = replayed.deliveries
      .filter((d) => d.status === 200)
      .map((d) => [bodyOf(d).issue.key, bodyOf(d).tasksource.state, bodyOf(d).tasksource.sequence]);
    expectPromiseKept(replayed, 3);
    expect(accepted.map((a) => a[1])).toEqual(['outsourced', 'outsourced', 'outsourced']);
    expect(replayed.kvs.plain['issue:10021']).toMatchObject({
      projectId: OTHER_PROJECT,
      issueKey: 'OPS-7',
    });
  });
});

describe('the payload pre-check', () => {
  it('an event naming another assignee for an issue Jira has outsourced: reconciliation delivers the issue within the hour', async () => {
    const comment = makeComment({ id: '10100', created: '2026-12-01T09:30:00.000+0000' });
    const outsourced = makeIssue({ comments: [comment], updated: minutesAgo(30) });
    const stalePayload = makeIssue({ assignee: ALEX, comments: [comment] });
    const replayed = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeCommentEvent('avi:jira:commented:issue', stalePayload, comment) },
      { advance: { seconds: 3600 } },
      { advance: { seconds: 600 } },
    ]);
    expect(replayed.deliveries.map((d) => bodyOf(d).tasksource.state)).toEqual(['outsourced']);
  });
});

describe('Resend of a dead letter whose issue was since deleted', () => {
  it('sends nothing about it and says so', async () => {
    const issue = makeIssue();
    const created = makeEvent('avi:jira:created:issue', issue, { timestamp: at(0) });
    const comment = makeComment({ id: '10100' });
    const withComment = makeIssue({ comments: [comment] });
    const replayed = await replay(
      [
        { jira: { issues: { '10021': withComment } } },
        { event: created },
        { receiver: { respond: [422] } },
        { event: makeCommentEvent('avi:jira:commented:issue', withComment, comment) },
        { jira: { issues: { '10021': null } } },
        { event: makeEvent('avi:jira:deleted:issue', issue, { timestamp: at(9000) }) },
        {
          resolve: {
            module: 'admin',
            as: ADMIN,
            call: 'admin/resend',
            payload: { deliveryId: 'ts_96d613a1c44bed52a5f5899097ac6ef7' },
          },
        },
        { advance: { seconds: 300 } },
      ],
      { jiraState: PAGE_SITE },
    );
    const dead = Object.keys(replayed.kvs.plain).filter((k) => k.startsWith('dead:'));
    const resolved = replayed.lines.filter((l) => l.type === 'resolve');
    expect(resolved).toMatchObject([{ ok: true }]);
    expect(dead).toEqual([]);
    // Nothing about the deleted issue after its release.
    expect(replayed.deliveries.map((d) => [d.status, bodyOf(d).tasksource.state])).toEqual([
      [200, 'outsourced'],
      [422, 'outsourced'],
      [200, 'released'],
    ]);
  });
});
