import { getAppContext } from '@forge/api';
import { InvocationError, InvocationErrorCode, Queue } from '@forge/events';
import { kvs } from '@forge/kvs';

import { formatTable } from '../local/replay/format-table';
import { noticeLines } from '../local/replay/notice-lines';
import type { ReplayLine } from '../local/replay/run-scenario';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../src/core/project-flag';
import { makeEvent, makeIssue } from './support/builders';
import { ADMIN } from './support/page-users';
import { noticesOf, realDelay, withPlatform } from './support/platform';
import { replay } from './support/replay';

/**
 * Time in the local runtime: the emulated clock the app reads through `Date`, KVS TTLs on it,
 * trigger retries and scheduled triggers at their emulated due times, invocation limits.
 */

const HOUR = 3600;

describe('the emulated clock', () => {
  it('moves Date.now() and new Date() by advance, and gives the real Date back on close', async () => {
    let before = 0;
    await withPlatform(async (platform) => {
      before = Date.now();
      await platform.advance(2 * HOUR);

      expect(Date.now() - before).toBeGreaterThanOrEqual(2 * HOUR * 1000);
      expect(Date.now() - before).toBeLessThan(2 * HOUR * 1000 + 1_000);
      expect(new Date().getTime() - before).toBeGreaterThanOrEqual(2 * HOUR * 1000);
      expect(platform.clock.now() - Date.now()).toBeLessThanOrEqual(0);
      expect(new Date(0).getTime()).toBe(0);
      expect(new Date() instanceof Date).toBe(true);
    });

    expect(Math.abs(Date.now() - before)).toBeLessThan(1_000);
  });

  it('expires KVS values with a TTL on emulated time', async () => {
    await withPlatform(async (platform) => {
      await kvs.set('claim:1', { token: 't' }, { ttl: { unit: 'MINUTES', value: 5 } });

      await platform.advance(299);
      expect(await kvs.get('claim:1')).toEqual({ token: 't' });

      await platform.advance(2);
      expect(await kvs.get('claim:1')).toBeUndefined();
    });
  });
});

describe('scheduled triggers', () => {
  it('run the manifest’s hourly trigger once per emulated hour, from an hour after start', async () => {
    const requests: any[] = [];
    const onReconcile = async (request: unknown) => {
      requests.push({ request, at: Date.now() });
      return { outcome: 'reconciled' };
    };

    await withPlatform(
      async (platform, notices) => {
        const startedAt = platform.clock.now();
        await platform.advance(HOUR - 1);
        expect(requests).toHaveLength(0);

        await platform.advance(1 + 2 * HOUR);
        const hours = requests.map((call) => Math.round((call.at - startedAt) / 1000 / HOUR));
        expect(hours).toEqual([1, 2, 3]);
        expect(requests[0].request).toEqual({
          context: { cloudId: platform.cloudId, moduleKey: 'tasksource-reconcile' },
          contextToken: expect.any(String),
        });
        expect(noticeLines(noticesOf(notices, 'scheduled-result')[0]!)).toEqual([
          {
            type: 'scheduled',
            key: 'tasksource-reconcile',
            at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            outcome: { outcome: 'reconciled' },
          },
        ]);
        expect(platform.invocations.map((record) => record.functionKey)).toEqual([
          'on-reconcile',
          'on-reconcile',
          'on-reconcile',
        ]);
      },
      { handlers: { onReconcile } },
    );
  });

  it('are not retried when they throw', async () => {
    const onReconcile = async () => {
      throw new Error('reconcile failed');
    };

    await withPlatform(
      async (platform, notices) => {
        await platform.advance(HOUR + 600);

        expect(platform.invocations).toHaveLength(1);
        expect(noticeLines(noticesOf(notices, 'scheduled-threw')[0]!)).toEqual([
          expect.objectContaining({ type: 'scheduled', outcome: null }),
          expect.objectContaining({ type: 'error', message: expect.stringContaining('not retry') }),
        ]);
      },
      { handlers: { onReconcile } },
    );
  });

  it('print a scheduled line from the app’s own handler in a replay', async () => {
    const { lines, result } = await replay([{ advance: { seconds: HOUR } }]);

    expect(lines).toEqual([
      {
        type: 'scheduled',
        key: 'tasksource-reconcile',
        at: expect.any(String),
        outcome: expect.objectContaining({ outcome: 'reconciled', projects: 1 }),
      },
    ]);
    expect(formatTable(result.steps)).toMatch(
      /Time: \+1 h +\d\d-\d\d \d\d:\d\d:\d\d tasksource-reconcile ran: reconciled/,
    );
  });
});

describe('trigger retries', () => {
  const event = makeEvent('avi:jira:created:issue', makeIssue());

  it('happen retryAfter seconds later on the emulated clock, at most 4 times', async () => {
    const calls: { at: number; retryContext: unknown }[] = [];
    const onJiraEvent = async (received: any) => {
      calls.push({ at: Date.now(), retryContext: received.retryContext });
      return new InvocationError({
        retryAfter: 120,
        retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
        retryData: { n: calls.length },
      });
    };

    await withPlatform(
      async (platform, notices) => {
        platform.jira.projectProperties.set('10000', PROJECT_FLAG_KEY, PROJECT_FLAG);
        const start = Date.now();
        await platform.fireTrigger(event);
        expect(calls).toHaveLength(1);

        await platform.advance(119);
        expect(calls).toHaveLength(1);

        await platform.advance(HOUR);
        expect(calls.map((call) => Math.round((call.at - start) / 1000))).toEqual([
          0, 120, 240, 360, 480,
        ]);
        expect(calls[4]!.retryContext).toEqual({
          retryCount: 4,
          retryReason: 'FUNCTION_RETRY_REQUEST',
          retryData: { n: 4 },
        });
        expect(noticesOf(notices, 'trigger-gave-up')).toHaveLength(1);
      },
      { handlers: { onJiraEvent } },
    );
  });

  it('print the queued retry and both deliveries at the times they happened', async () => {
    const { lines } = await replay(
      [
        { jira: { issues: { '10021': makeIssue() } } },
        { receiver: { respond: [{ status: 429, retryAfter: 40 }] } },
        { event },
        { advance: { seconds: 600 } },
      ],
      {},
    );

    const [failed, retry, delivered] = lines as Extract<
      ReplayLine,
      { type: 'delivery' | 'queued' }
    >[];
    expect([failed?.type, retry?.type, delivered?.type]).toEqual([
      'delivery',
      'queued',
      'delivery',
    ]);
    const gap = (Date.parse(delivered!.at) - Date.parse(failed!.at)) / 1000;
    expect(Math.round(gap)).toBe(40);
  });
});

describe('invocation limits', () => {
  it('report each invocation with its limit, and remaining time for the invocation asking', async () => {
    await withPlatform(async (platform) => {
      const remaining: number[] = [];
      platform.registerConsumer(
        'q',
        async () => {
          remaining.push(getAppContext().invocationRemainingTimeInMillis());
          await realDelay(50);
          remaining.push(getAppContext().invocationRemainingTimeInMillis());
        },
        { functionKey: 'tiny-consumer', timeoutSeconds: 30 },
      );

      await new Queue({ key: 'q' }).push({ body: {} });
      await platform.runDue();

      expect(remaining[0]).toBeLessThanOrEqual(30_000);
      expect(remaining[0]).toBeGreaterThan(29_000);
      expect(remaining[0]! - remaining[1]!).toBeGreaterThanOrEqual(40);
      expect(platform.invocations).toEqual([
        {
          functionKey: 'tiny-consumer',
          module: 'test-consumer-q',
          startedAt: expect.any(Number),
          ms: expect.any(Number),
          limitMs: 30_000,
        },
      ]);
      expect(platform.overruns()).toEqual([]);
    });
  });

  it('time the trigger and resolvers against their limits from manifest.yml', async () => {
    const { result } = await replay([
      { event: { eventType: 'avi:jira:created:issue' } },
      { resolve: { module: 'admin', as: ADMIN, call: 'admin/get', payload: {} } },
    ]);

    const limits = result.platform.invocations.map(({ functionKey, module, limitMs }) => [
      functionKey,
      module,
      limitMs,
    ]);
    expect(limits).toEqual([
      ['on-jira-event', 'tasksource-jira-events', 25_000],
      ['admin-page-resolver', 'tasksource-admin', 25_000],
    ]);
    expect(result.platform.overruns()).toEqual([]);
  });

  it('report one that runs over its limit, naming its function, time and limit', async () => {
    await withPlatform(async (platform, notices) => {
      platform.registerConsumer('q', () => realDelay(80), {
        functionKey: 'slow-consumer',
        timeoutSeconds: 0.02,
      });

      await new Queue({ key: 'q' }).push({ body: {} });
      await platform.runDue();

      expect(platform.overruns()).toEqual([
        expect.objectContaining({ functionKey: 'slow-consumer', limitMs: 20 }),
      ]);
      const [line] = noticeLines(noticesOf(notices, 'overrun')[0]!);
      expect(line).toMatchObject({ type: 'error', functionKey: 'slow-consumer' });
      expect((line as { message: string }).message).toMatch(
        /^slow-consumer ran \d+ ms, over its limit of 20 ms/,
      );
    });
  });
});

describe('dead letters', () => {
  it('are reported once, when the app first writes a dead: key', async () => {
    await withPlatform(async (_, notices) => {
      const letter = {
        deliveryId: 'ts_1',
        issueId: '10021',
        issueKey: 'KAN-22',
        reason: 'rejected',
        detail: 'tasksource answered 400',
        status: 400,
        attempts: 1,
        event: { big: true },
      };
      await kvs.set('dead:ts_1', letter);
      await kvs.set('dead:ts_1', { ...letter, attempts: 2 });
      await kvs.set('issue:10021', { not: 'a dead letter' });

      const lines = noticesOf(notices, 'dead-letter').flatMap(noticeLines);
      expect(lines).toEqual([
        {
          type: 'deadletter',
          at: expect.any(String),
          key: 'dead:ts_1',
          deliveryId: 'ts_1',
          issueId: '10021',
          issueKey: 'KAN-22',
          reason: 'rejected',
          detail: 'tasksource answered 400',
          status: 400,
          attempts: 1,
        },
      ]);
    });
  });
});
