import type { ReplayResult } from '../local/replay/run-scenario';
import { createKvsSettingsStore } from '../src/adapters/kvs-settings-store';
import { onReconcile } from '../src/entry/on-reconcile';
import { saveProjectSettings } from '../src/settings/settings-service';
import { makeEvent, makeIssue, makeSettings, OTHER_PROJECT, SITE } from './support/builders';
import { LEAD, PAGE_SITE } from './support/page-users';
import { withRunningScenario } from './support/replay';
import { minutesAgo, queuedMessages } from './support/reconcile';

/**
 * What reconciliation queues, run through the trigger's own pipeline as the consumer will:
 * a missed issue is delivered as outsourced, a silently relabelled, moved or deleted one is
 * released. And the project page asking for a first run when a project starts outsourcing.
 */

/** Lets the platform run what is due: the consumer takes the queued events through the pipeline. */
async function deliverQueued(result: ReplayResult) {
  const before = result.receiver.deliveries.length;
  await result.platform.runDue();
  return result.receiver.deliveries
    .slice(before)
    .map((delivery) => delivery.body as Record<string, any>);
}

function lastBody(result: ReplayResult): Record<string, any> {
  return result.receiver.deliveries.at(-1)?.body as Record<string, any>;
}

const scenario = (issues: Record<string, unknown>, steps: unknown[]) => ({
  settings: makeSettings(),
  site: { cloudId: 'cloud-0001', baseUrl: SITE },
  jira: { issues },
  steps,
});

describe('reconciled events through the pipeline', () => {
  it('delivers an issue outsourced before the app saw any event for it', async () => {
    const issue = makeIssue({ updated: minutesAgo(45) });

    await withRunningScenario(scenario({ '10021': issue }, []), async (result) => {
      await onReconcile({}, {});
      const bodies = await deliverQueued(result);

      expect(bodies).toMatchObject([{ tasksource: { state: 'outsourced' } }]);
      expect(lastBody(result)).toMatchObject({
        webhookEvent: 'jira:issue_updated',
        issue: { id: '10021', key: 'KAN-22' },
        tasksource: { state: 'outsourced', eventType: 'avi:jira:updated:issue' },
      });
    });
  });

  it.each([
    ['relabelled', makeIssue({ labels: ['other'] }), 'label-removed'],
    ['moved', makeIssue({ projectId: OTHER_PROJECT }), 'moved'],
    ['deleted', null, 'no-longer-visible'],
  ])('releases an issue %s without an event', async (_, after, reason) => {
    const issue = makeIssue({ updated: minutesAgo(45) });
    const steps = [{ event: makeEvent('avi:jira:created:issue', issue) }];

    await withRunningScenario(scenario({ '10021': issue }, steps), async (result) => {
      result.platform.jira.apply({ '10021': after });
      const summary = await onReconcile({}, {});
      expect(summary).toMatchObject({ releases: 1 });

      const bodies = await deliverQueued(result);
      expect(bodies).toMatchObject([{ tasksource: { state: 'released' } }]);
      expect(lastBody(result)).toMatchObject({ tasksource: { state: 'released', reason } });
    });
  });
});

describe("a project's mapping removed", () => {
  it('skips its events without reading records, and the hourly run releases what it outsourced', async () => {
    const issue = makeIssue({ updated: minutesAgo(45) });
    const steps = [{ event: makeEvent('avi:jira:created:issue', issue) }];

    await withRunningScenario(scenario({ '10021': issue }, steps), async (result) => {
      const store = createKvsSettingsStore();
      await saveProjectSettings(store, '10000', { labels: [], enabled: true });
      const readsBefore = result.platform.kvs.counters.reads;
      await result.platform.fireTrigger(makeEvent('avi:jira:updated:issue', issue));
      expect(result.platform.kvs.counters.reads - readsBefore).toBe(1);

      const summary = await onReconcile({}, {});
      expect(summary).toMatchObject({ releases: 1 });
      const bodies = await deliverQueued(result);
      expect(bodies).toMatchObject([
        { tasksource: { state: 'released', reason: 'mapping-removed', reconciled: true } },
      ]);
    });
  });
});

describe('a waiting change nothing will wake', () => {
  it('is woken by the hourly run once long overdue, and delivered under its own id', async () => {
    const issue = makeIssue({ updated: minutesAgo(45) });
    const deliveryId = `ts_${'ab'.repeat(16)}`;
    await withRunningScenario(scenario({ '10021': issue }, []), async (result) => {
      // Held by a trigger that died mid-attempt: its lease ran out, no queue event is left.
      result.platform.kvs.handle('/api/v1/set', {
        key: 'out:10021:0000000001',
        value: {
          version: 1,
          issueId: '10021',
          sequence: 1,
          deliveryId,
          baseDeliveryId: deliveryId,
          event: makeEvent('avi:jira:created:issue', issue),
          state: 'sending',
          attempts: 0,
          sent: 0,
          provisional: false,
          firstAttemptAt: Date.now() - 3_600_000,
          nextAttemptAt: Date.now() - 3_600_000,
          leaseUntil: Date.now() - 3_000_000,
          issueKey: 'KAN-22',
          projectId: '10000',
          lastStatus: null,
          lastError: null,
        },
      });

      await result.platform.advance(3600);
      await result.platform.advance(60);

      const bodies = result.receiver.deliveries.map((delivery) => delivery.body as any);
      expect(bodies.map((body) => body.tasksource.deliveryId)).toEqual([deliveryId]);
      expect(bodies[0]).toMatchObject({
        webhookEvent: 'jira:issue_created',
        tasksource: { sequence: 1 },
      });
      expect(result.receiver.deliveries[0]!.headers['x-atlassian-webhook-retry']).toBe('1');
    });
  });
});

describe('the project page', () => {
  const lead = (payload: unknown) => ({
    resolve: {
      module: 'project-settings',
      projectId: '10000',
      as: LEAD,
      call: 'project/save',
      payload,
    },
  });
  const connected = {
    settings: { ...makeSettings(), projects: {} },
    site: { cloudId: 'cloud-0001', baseUrl: SITE },
    jira: { ...PAGE_SITE, issues: { '10021': makeIssue({ updated: minutesAgo(45) }) } },
  };

  it('asks for a first run when a project starts outsourcing, and that run finds its issues', async () => {
    const steps = [
      lead({ labels: ['acme-web'], enabled: true }),
      lead({ labels: ['acme-web'], enabled: true }),
    ];
    await withRunningScenario({ ...connected, steps }, async (result) => {
      const messages = queuedMessages(result.platform);
      expect(messages[0]).toEqual({ type: 'reconcile', projectIds: ['10000'] });
      expect(messages.filter((body) => body.type === 'reconcile')).toHaveLength(1);

      // The consumer ran the first run as soon as it was due, and delivered what it found.
      expect(result.receiver.deliveries.map((delivery) => delivery.body)).toMatchObject([
        { issue: { key: 'KAN-22' }, tasksource: { state: 'outsourced' } },
      ]);
    });
  });

  it.each([
    ['adding a label', true, { labels: ['acme-web', 'acme-app'], enabled: true }, 2],
    ['switching forwarding back on', false, { labels: ['acme-web'], enabled: true }, 1],
    ['switching forwarding off', true, { labels: ['acme-web'], enabled: false }, 1],
    ['removing a label', true, { labels: [], enabled: true }, 1],
  ])('after %s, asks again only if more may be outsourced', async (_, enabled, change, asks) => {
    const steps = [lead({ labels: ['acme-web'], enabled }), lead(change)];
    await withRunningScenario({ ...connected, steps }, async (result) => {
      const asked = queuedMessages(result.platform).filter((body) => body.type === 'reconcile');
      expect(asked).toHaveLength(asks);
    });
  });

  it('saves even when the queue refuses the push', async () => {
    const global = globalThis as Record<string, any>;
    await withRunningScenario({ ...connected, steps: [] }, async (result) => {
      const forgeFetch = global.__forge_fetch__;
      global.__forge_fetch__ = (meta: { remote?: string }, ...rest: unknown[]) =>
        meta.remote === 'stargate'
          ? Promise.resolve(new Response('{"message":"down"}', { status: 500 }))
          : forgeFetch(meta, ...rest);
      try {
        const { invokeResolver } = await import('../local/replay/invoke-resolver');
        const answer = await invokeResolver(
          result.platform,
          SITE,
          lead({ labels: ['acme-web'], enabled: true }).resolve as any,
        );
        expect(answer).toMatchObject({ ok: true, data: { labels: ['acme-web'] } });
      } finally {
        global.__forge_fetch__ = forgeFetch;
      }
      expect(result.platform.queued).toEqual([]);
    });
  });
});
