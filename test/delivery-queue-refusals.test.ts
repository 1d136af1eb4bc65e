import type { ReplayResult } from '../local/replay/run-scenario';
import { invokeResolver } from '../local/replay/invoke-resolver';
import { makeIssue, makeSettings, SITE } from './support/builders';
import { ADMIN, PAGE_SITE } from './support/page-users';
import { changesOf } from './support/fault-matrix';
import { withRunningScenario } from './support/replay';

/**
 * Forge's queue refusing pushes at the points the pipeline pushes: Resend, retries, and
 * Forge's own retries of the trigger. Nothing is lost, numbered twice, or left a stale dead letter.
 * (Found in a break-it pass; each failed before its fix.)
 */

jest.setTimeout(60_000);

const issue = makeIssue();
const { created, update } = changesOf(issue);

const global = globalThis as Record<string, any>;
async function withQueueDown<T>(use: () => Promise<T>): Promise<T> {
  const forgeFetch = global.__forge_fetch__;
  global.__forge_fetch__ = (meta: { remote?: string }, ...rest: unknown[]) =>
    meta.remote === 'stargate'
      ? Promise.resolve(new Response('{"message":"down"}', { status: 500 }))
      : forgeFetch(meta, ...rest);
  try {
    return await use();
  } finally {
    global.__forge_fetch__ = forgeFetch;
  }
}

const deadKeys = (result: ReplayResult) =>
  Object.keys(result.platform.kvs.snapshot().plain).filter((key) => key.startsWith('dead:'));

describe('Resend while the queue refuses pushes', () => {
  it('does not leave the change both delivered and a dead letter', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { ...PAGE_SITE, issues: { '10021': issue } },
      steps: [{ receiver: { respond: [422] } }, { event: created }],
    };
    await withRunningScenario(scenario, async (result) => {
      const [deadKey] = deadKeys(result);
      const deliveryId = deadKey!.slice('dead:'.length);

      const answer = await withQueueDown(() =>
        invokeResolver(result.platform, SITE, {
          module: 'admin',
          as: ADMIN,
          call: 'admin/resend',
          payload: { deliveryId },
        }),
      );

      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'unavailable', message: expect.stringContaining('queue') },
      });

      // Later, an ordinary change of the issue.
      await result.platform.fireTrigger(update('701', 10));
      await result.platform.runDue();
      await result.platform.advance(120);

      const delivered = result.receiver.deliveries
        .filter((d) => d.status === 200)
        .map((d) => d.headers['x-atlassian-webhook-identifier']);
      expect(delivered.filter((id) => deadKeys(result).includes(`dead:${id}`))).toEqual([]);
    });
  });
});

describe('the trigger, when the queue refuses the push for a change waiting behind another', () => {
  it('numbers that change once, however often Forge retries the trigger', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': issue } },
      steps: [{ receiver: { answer: 503 } }, { event: created }],
    };
    await withRunningScenario(scenario, async (result) => {
      await withQueueDown(async () => {
        await result.platform.fireTrigger(update('701', 10));
        // Only the trigger's own retries fall in these 10 minutes (the create waits longer).
        await result.platform.advance(600);
      });
      const plain = result.platform.kvs.snapshot().plain;
      const numbered = Object.entries(plain)
        .filter(([key]) => key.startsWith('out:'))
        .map(([key, value]) => [key, (value as { deliveryId: string }).deliveryId]);
      const ofUpdate = numbered.filter(([, id]) => id !== numbered[0]![1]);
      expect(ofUpdate).toHaveLength(1);
    });
  });
});

describe('a 15-minute queue outage while a change waits for its next retry', () => {
  it('does not end the retries of a change that tasksource has not got yet', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': issue } },
      steps: [{ receiver: { answer: 503 } }, { event: created }],
    };
    await withRunningScenario(scenario, async (result) => {
      const notices: unknown[] = [];
      result.platform.observe((notice) => {
        if (notice.kind === 'queue-retry' || notice.kind === 'queue-result') {
          notices.push({
            kind: notice.kind,
            ...(notice as any),
            event: undefined,
            result: (notice as any).result?.outcome ?? (notice as any).result,
          });
        }
      });
      await withQueueDown(() => result.platform.advance(15 * 60));
      result.receiver.answerAlways(200);
      // Everything Forge still holds is run; then an hourly reconciliation or two.
      await result.platform.advance(3 * 3600);

      expect(result.receiver.deliveries.filter((d) => d.status === 200)).toHaveLength(1);
    });
  });
});
