import type { ReplayResult } from '../local/replay/run-scenario';
import { continueReconciliation, onReconcile } from '../src/entry/on-reconcile';
import {
  ALEX,
  assigneeChange,
  INTEGRATION,
  makeCommentEvent,
  makeComment,
  makeEvent,
  makeIssue,
  makeSettings,
  SITE,
} from './support/builders';
import { withRunningScenario } from './support/replay';
import { minutesAgo } from './support/reconcile';

/**
 * Reconciliation racing itself (two scheduled runs and a first-run message at once) and
 * running while tasksource is down and changes wait: nothing is queued twice, nothing lost.
 * (From a break-it pass: these held, and stay as regressions.)
 */

jest.setTimeout(120_000);

function problems(result: ReplayResult): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const last: Record<string, number> = {};
  for (const d of result.receiver.deliveries) {
    const id = d.headers['x-atlassian-webhook-identifier']!;
    const body = d.body as any;
    if (seen.has(id)) out.push(`${id} sent again after accepted`);
    if (d.status !== 200) continue;
    seen.add(id);
    const issueId = String(body.tasksource.issueId);
    if (last[issueId] !== undefined && body.tasksource.sequence <= last[issueId]!)
      out.push(`${issueId} seq ${body.tasksource.sequence} after ${last[issueId]}`);
    last[issueId] = body.tasksource.sequence;
  }
  return out;
}

const scenario = (issues: Record<string, unknown>, steps: unknown[] = []) => ({
  settings: makeSettings(),
  site: { cloudId: 'cloud-0001', baseUrl: SITE },
  jira: { issues },
  steps,
});

const issues = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [
    String(20000 + i),
    makeIssue({ id: String(20000 + i), key: `KAN-${i + 1}`, updated: minutesAgo(45) }),
  ]),
);

describe('reconciliation twice at once', () => {
  it('two scheduled runs and a first-run message together queue each issue once', async () => {
    await withRunningScenario(scenario(issues), async (result) => {
      const outcomes = await Promise.allSettled([
        onReconcile({}, {}),
        onReconcile({}, {}),
        continueReconciliation({ type: 'reconcile', projectIds: ['10000'] }),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toContain('fulfilled');
      await result.platform.runDue();
      await result.platform.advance(600);
      expect(problems(result)).toEqual([]);
      const issueIds = result.receiver.deliveries.map((d) => (d.body as any).issue.id);
      expect(new Set(issueIds).size).toBe(30);
      expect(issueIds).toHaveLength(30);
    });
  });

  it('while tasksource is down and changes wait, hourly runs queue nothing twice and lose nothing', async () => {
    const one = makeIssue({ updated: minutesAgo(45) });
    const steps = [
      { receiver: { answer: 503 } },
      { event: makeEvent('avi:jira:created:issue', one) },
      {
        event: makeEvent('avi:jira:updated:issue', one, {
          timestamp: '1796119260000',
          changelog: assigneeChange(null, INTEGRATION, '555'),
        }),
      },
    ];
    await withRunningScenario(scenario({ '10021': one }, steps), async (result) => {
      // Unassigned without an event while the two changes wait.
      result.platform.jira.apply({
        '10021': makeIssue({ assignee: ALEX, updated: minutesAgo(40) }),
      });
      await result.platform.advance(3 * 3600);
      result.receiver.answerAlways(200);
      await result.platform.advance(3600);
      const accepted = result.receiver.deliveries
        .filter((d) => d.status === 200)
        .map((d) => [(d.body as any).tasksource.state, (d.body as any).tasksource.sequence]);
      expect(problems(result)).toEqual([]);
      // tasksource never accepted the create, so nothing is owed to it: no release either.
      expect(accepted).toEqual([]);
      expect(result.platform.kvs.snapshot().plain['issue:10021']).toMatchObject({ sequence: 2 });
      expect(result.platform.overruns()).toEqual([]);
    });
  });
});

describe('a release racing a comment and an edit', () => {
  it('sends one release, nothing after it, in order', async () => {
    const comment = makeComment({ id: '10100', created: '2026-12-01T09:30:00.000+0000' });
    const before = makeIssue({ comments: [comment] });
    const after = makeIssue({ assignee: ALEX, comments: [comment] });
    const steps = [
      { jira: { issues: { '10021': before } } },
      { event: makeEvent('avi:jira:created:issue', before) },
      { jira: { issues: { '10021': after } } },
      {
        parallel: [
          {
            event: makeEvent('avi:jira:updated:issue', after, {
              timestamp: '1796119300000',
              changelog: assigneeChange(INTEGRATION, ALEX, '901'),
            }),
          },
          {
            event: {
              ...makeCommentEvent('avi:jira:commented:issue', before, comment),
              timestamp: '1796119290000',
            },
          },
          {
            event: makeEvent('avi:jira:updated:issue', before, {
              timestamp: '1796119280000',
              changelog: {
                id: '900',
                items: [
                  {
                    field: 'summary',
                    fieldtype: 'jira',
                    fieldId: 'summary',
                    from: null,
                    fromString: 'a',
                    to: null,
                    toString: 'b',
                  },
                ],
              },
            }),
          },
        ],
      },
      { advance: { seconds: 120 } },
    ];
    await withRunningScenario(scenario({}, steps), async (result) => {
      const bodies = result.receiver.deliveries.map((d) => [
        (d.body as any).webhookEvent,
        (d.body as any).tasksource.state,
        (d.body as any).tasksource.sequence,
      ]);
      expect(problems(result)).toEqual([]);
      expect(bodies.filter((b) => b[1] === 'released')).toHaveLength(1);
      expect(bodies.at(-1)![1]).toBe('released');
    });
  });
});
