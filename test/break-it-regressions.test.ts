import { onJiraEvent } from '../src/entry/on-jira-event';
import {
  ALEX,
  assigneeChange,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
  makeSettings,
  SITE,
} from './support/builders';
import { bodyOf, replay, withRunningScenario } from './support/replay';

/**
 * Defects found by trying to break the app, each pinned by the behaviour a user relies on.
 */

const outsourced = makeIssue();
const created = makeEvent('avi:jira:created:issue', outsourced);

describe('nothing about other issues leaves Jira', () => {
  it('drops links, sub-tasks and the parent from an outsourced issue', async () => {
    const issue = makeIssue();
    Object.assign(issue.fields as Record<string, unknown>, {
      issuelinks: [
        {
          id: '1',
          outwardIssue: { id: '10099', key: 'HR-7', fields: { summary: 'Layoff plan Q1' } },
        },
      ],
      subtasks: [{ id: '10098', key: 'HR-8', fields: { summary: 'Severance budget' } }],
      parent: { id: '10097', key: 'HR-1', fields: { summary: 'Reorg (board only)' } },
    });

    const { deliveries } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: created },
    ]);

    expect(deliveries).toHaveLength(1);
    const raw = deliveries[0]!.raw;
    expect(
      ['HR-7', 'HR-8', 'HR-1', 'Layoff', 'Severance', 'Reorg'].filter((text) => raw.includes(text)),
    ).toEqual([]);
  });
});

describe('a release', () => {
  it('travels under its own delivery id when a retry finds the issue released', async () => {
    const edit = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, null, '20001'),
    });
    const unassigned = makeIssue({ assignee: null });

    const { deliveries } = await replay(
      [
        { jira: { issues: { '10021': outsourced } } },
        { event: created },
        { event: edit },
        { advance: { seconds: 1800 } },
      ],
      {
        onStart: ({ receiver, platform }) => {
          receiver.respondWith(200, 504);
          receiver.onDelivery(() => {
            if (receiver.deliveries.length === 2) platform.jira.apply({ '10021': unassigned });
          });
        },
      },
    );

    const states = deliveries.map((line) => [
      bodyOf(line).tasksource.state,
      line.headers['webhook-id'],
    ]);
    expect(states.map(([state]) => state)).toEqual(['outsourced', 'outsourced', 'released']);
    expect(states[2]![1]).not.toBe(states[1]![1]);
  });

  it('happens once when two releasing changes are handled at the same moment', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': outsourced } },
      steps: [
        { event: created },
        { jira: { issues: { '10021': makeIssue({ assignee: null, labels: [] }) } } },
      ],
    };
    await withRunningScenario(scenario, async (result) => {
      const context = result.platform.triggerContext();
      const unassign = makeEvent('avi:jira:updated:issue', outsourced, {
        changelog: assigneeChange(INTEGRATION, null, '30001'),
      });
      const relabel = makeEvent('avi:jira:updated:issue', outsourced, {
        changelog: { id: '30002', items: [] },
      });

      await Promise.all([onJiraEvent(unassign, context), onJiraEvent(relabel, context)]);

      const states = result.receiver.deliveries.map(
        (delivery) => (delivery.body as any).tasksource.state,
      );
      expect(states).toEqual(['outsourced', 'released']);
    });
  });

  it('is not sent to a new tasksource company for an issue only the old one had', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': outsourced } },
      steps: [{ event: created }],
    };
    await withRunningScenario(scenario, async (result) => {
      const { saveConnectionSettings } = await import('../src/settings/settings-service');
      const { createKvsSettingsStore } = await import('../src/adapters/kvs-settings-store');
      const { projects: _projects, ...connection } = makeSettings({
        webhookUrl: 'https://api.tasksource.io/jira?companyId=OTHER-company-9',
      });
      await saveConnectionSettings(createKvsSettingsStore(), connection);
      result.platform.jira.apply({ '10021': makeIssue({ assignee: ALEX }) });

      const outcome = await onJiraEvent(
        makeEvent('avi:jira:updated:issue', outsourced, {
          changelog: assigneeChange(INTEGRATION, ALEX, '40001'),
        }),
        result.platform.triggerContext(),
      );

      expect(result.receiver.deliveries).toHaveLength(1);
      expect(outcome).toMatchObject({
        outcome: 'skipped',
        reason: 'not-assigned-to-integration-account',
      });
    });
  });
});

describe('hostile but possible payloads', () => {
  it('delivers an update whose changelog item has no toString key', async () => {
    const event = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: {
        id: '60001',
        items: [{ field: 'summary', from: null, fromString: 'a', to: null }],
      },
    });

    const { deliveries } = await replay([{ jira: { issues: { '10021': outsourced } } }, { event }]);

    expect(bodyOf(deliveries[0]!).changelog.items).toEqual([
      { field: 'summary', from: null, fromString: 'a', to: null, toString: null },
    ]);
  });

  it('skips a fractional timestamp without blocking the real event behind it', async () => {
    const { lines } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: { ...created, timestamp: 1796119200000.5 } },
      { event: { ...created, timestamp: 1796119200000 } },
    ]);

    expect(lines.map((line) => line.type)).toEqual(['skip', 'delivery']);
  });

  it('treats one instant written two ways as one change', async () => {
    const asText = makeEvent('avi:jira:updated:issue', outsourced, { timestamp: undefined });
    (asText.issue as any).fields.updated = '2026-12-01T09:20:00.000+0000';
    const asNumber = structuredClone(asText);
    (asNumber.issue as any).fields.updated = Date.parse('2026-12-01T09:20:00.000Z');

    const { deliveries } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: asText },
      { event: asNumber },
    ]);

    expect(deliveries).toHaveLength(1);
  });

  it('does not forward another comment when Jira answers with one', async () => {
    const asked = makeComment({ id: '10100' });
    const other = makeComment({ id: '20200', body: 'a comment the event is not about' });
    const issue = makeIssue({ comments: [other] });

    const { deliveries, skips } = await replay(
      [
        { jira: { issues: { '10021': issue } } },
        { event: makeCommentEvent('avi:jira:commented:issue', issue, asked) },
      ],
      { onStart: () => interceptJira((path) => path.replace('/comment/10100', '/comment/20200')) },
    );

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('comment-unreadable');
  });

  it('retries when Jira cannot be reached, instead of failing the invocation', async () => {
    let failures = 1;
    const { lines } = await replay(
      [
        { jira: { issues: { '10021': outsourced } } },
        { event: created },
        { advance: { seconds: 1800 } },
      ],
      {
        onStart: () =>
          interceptJira((path) => {
            if (failures-- > 0) throw new TypeError('fetch failed');
            return path;
          }),
      },
    );

    expect(lines.map((line) => line.type)).toEqual(['queued', 'delivery']);
  });
});

/**
 * Puts a hand on the platform's own global between the app and the local Jira: `rewrite` sees
 * each Jira path and returns the one to ask instead, or throws as a broken network would.
 */
function interceptJira(rewrite: (path: string) => string): void {
  const global = globalThis as {
    __forge_fetch__?: (meta: unknown, path: string, init?: unknown) => Promise<unknown>;
  };
  const real = global.__forge_fetch__!;
  global.__forge_fetch__ = async (meta, path, init) => {
    const isJira = (meta as { remote?: string }).remote === 'jira';
    return real(meta, isJira ? rewrite(path) : path, init);
  };
}

describe('the rules hold at their edges', () => {
  it.each([
    ['an accountId that differs only in case', INTEGRATION.toUpperCase()],
    ['an accountId that merely starts with the integration account', `${INTEGRATION}0`],
  ])('does not outsource %s', async (_, assignee) => {
    const issue = makeIssue({ assignee });
    const { deliveries } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
    ]);

    expect(deliveries).toHaveLength(0);
  });

  it.each([
    ['a full-width letter', '\uFF41cme-web'],
    ['a decomposed accent', 'acme-we\u0301b'],
  ])('does not outsource a label with %s, naming the look-alike', async (_, label) => {
    const issue = makeIssue({ labels: [label] });
    const { skips } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
    ]);

    expect(skips[0]?.reason).toBe('only-a-lookalike-label');
  });

  it('recognises a redelivery of an earlier change, not only of the last one', async () => {
    const first = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, INTEGRATION, '50001'),
    });
    const second = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, INTEGRATION, '50002'),
    });

    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: first },
      { event: second },
      { event: first },
    ]);

    expect(deliveries).toHaveLength(2);
    expect(skips.map((skip) => skip.reason)).toEqual(['duplicate']);
  });
});
