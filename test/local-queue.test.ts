import { InvocationError, InvocationErrorCode, Queue } from '@forge/events';
import { validatePushAPIResponse } from '@forge/events/out/validators';

import { RETENTION_WINDOW_MS } from '../local/platform/local-queue';
import { RunawayScheduleError } from '../local/platform/scheduler';
import { noticeLines } from '../local/replay/notice-lines';
import { noticesOf, realDelay, withPlatform } from './support/platform';

/**
 * The local async events queue, driven by the real `@forge/events` `Queue` and a tiny consumer
 * registered for the test in place of the app's: due times, retries, the retention window,
 * concurrency keys, and what a push may not carry.
 */

const QUEUE = 'test-queue';
const queue = () => new Queue({ key: QUEUE });

type Seen = { body: Record<string, unknown>; at: number; retryContext?: any };

describe('queue events', () => {
  it('run when due, in due order, with the clock at each due time', async () => {
    await withPlatform(async (platform) => {
      const seen: Seen[] = [];
      platform.registerConsumer(QUEUE, (event: any) => {
        seen.push({ body: event.body, at: Date.now() });
      });

      const pushedAt = Date.now();
      await queue().push([
        { body: { n: 1 }, delayInSeconds: 20 },
        { body: { n: 2 }, delayInSeconds: 5 },
        { body: { n: 3 } },
      ]);
      await platform.runDue();
      expect(seen.map((call) => call.body.n)).toEqual([3]);

      await platform.advance(30);
      expect(seen.map((call) => call.body.n)).toEqual([3, 2, 1]);
      const delays = seen.map((call) => Math.round((call.at - pushedAt) / 1000));
      expect(delays).toEqual([0, 5, 20]);
    });
  });

  it('hand the consumer the event Forge would, and the trigger context', async () => {
    await withPlatform(async (platform) => {
      const calls: [any, any][] = [];
      platform.registerConsumer(QUEUE, (event, context) => void calls.push([event, context]));

      const { jobId } = await queue().push({ body: { issueId: '10021' } });
      await platform.runDue();

      const [event, context] = calls[0]!;
      expect(event).toEqual({
        body: { issueId: '10021' },
        queueName: QUEUE,
        jobId,
        eventId: expect.any(String),
      });
      expect(context).toEqual(platform.triggerContext());
    });
  });

  it('retry an InvocationError after its retryAfter, with retryContext', async () => {
    await withPlatform(async (platform) => {
      const seen: Seen[] = [];
      platform.registerConsumer(QUEUE, (event: any) => {
        seen.push({ body: event.body, at: Date.now(), retryContext: event.retryContext });
        if (seen.length > 2) return { outcome: 'delivered' };
        return new InvocationError({
          retryAfter: 60,
          retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
          retryData: { attempt: seen.length },
        });
      });

      const pushedAt = Date.now();
      await queue().push({ body: { n: 1 } });
      await platform.advance(3600);

      expect(seen.map((call) => Math.round((call.at - pushedAt) / 1000))).toEqual([0, 60, 120]);
      expect(seen[0]!.retryContext).toBeUndefined();
      expect(seen[2]!.retryContext).toEqual({
        retryCount: 2,
        retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED',
        retryData: { attempt: 2 },
        retentionWindow: {
          startTime: new Date(platform.queued[0]!.pushedAt).toISOString(),
          remainingTimeMs: expect.any(Number),
        },
      });
      const remaining = seen[2]!.retryContext.retentionWindow.remainingTimeMs;
      expect(Math.abs(remaining - (RETENTION_WINDOW_MS - 120_000))).toBeLessThan(1_000);
    });
  });

  it('retry a consumer that throws, after a backoff of at most 15 minutes', async () => {
    await withPlatform(async (platform, notices) => {
      const at: number[] = [];
      platform.registerConsumer(QUEUE, () => {
        at.push(Date.now());
        if (at.length < 4) throw new Error('boom');
      });

      await queue().push({ body: { n: 1 } });
      await platform.advance(3600);

      const gaps = at.slice(1).map((time, index) => Math.round((time - at[index]!) / 1000));
      expect(gaps).toEqual([60, 120, 240]);
      expect(noticesOf(notices, 'queue-threw')).toHaveLength(3);
      expect(noticesOf(notices, 'queue-retry').map((notice) => notice.retryCount)).toEqual([
        1, 2, 3,
      ]);
    });
  });

  it('drop an event once its 24-hour retention window has passed, saying so', async () => {
    await withPlatform(async (platform, notices) => {
      let calls = 0;
      platform.registerConsumer(QUEUE, () => {
        calls += 1;
        return new InvocationError({
          retryAfter: 900,
          retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
        });
      });

      await queue().push({ body: { issueId: '10021' } });
      await platform.advance(30 * 3600);

      expect(calls).toBe(96); // at 0, 15 min, … 23 h 45 min; the next would be at 24 h 0.x s
      const [dropped] = noticesOf(notices, 'queue-dropped');
      expect(noticeLines(dropped!)).toEqual([
        expect.objectContaining({
          type: 'error',
          issueId: '10021',
          queue: QUEUE,
          message: expect.stringContaining('dropped: its 24-hour retention window ended'),
        }),
      ]);

      await platform.advance(3600);
      expect(calls).toBe(96);
    });
  });

  it('never run more consumers with one concurrency key at once than its limit', async () => {
    await withPlatform(async (platform) => {
      const running = new Map<string, number>();
      const most = new Map<string, number>();
      platform.registerConsumer(QUEUE, async (event: any) => {
        const key = String(event.body.key);
        running.set(key, (running.get(key) ?? 0) + 1);
        most.set(key, Math.max(most.get(key) ?? 0, running.get(key)!));
        await realDelay(20);
        running.set(key, running.get(key)! - 1);
      });
      const events = (key: string, count: number) =>
        Array.from({ length: count }, () => ({
          body: { key },
          concurrency: { key: `issue-${key}`, limit: 2 },
        }));

      // Two invocations pushing at the same moment, as under a `parallel` step.
      await Promise.all([queue().push(events('a', 4)), queue().push(events('a', 3))]);
      await queue().push(events('b', 3));
      await platform.runDue();

      expect(Object.fromEntries(most)).toEqual({ a: 2, b: 2 });
      expect(platform.invocations).toHaveLength(10);
    });
  });

  it('stop a consumer that keeps re-queuing itself, naming it', async () => {
    await withPlatform(
      async (platform) => {
        platform.registerConsumer(QUEUE, async () => void (await queue().push({ body: {} })));
        await queue().push({ body: {} });

        const run = platform.runDue();
        await expect(run).rejects.toThrow(RunawayScheduleError);
        await expect(run).rejects.toThrow(/queue test-queue kept rescheduling/);
      },
      { maxInvocationsPerRun: 25 },
    );
  });
});

describe('a push Forge would refuse', () => {
  const publish = async (payload: unknown[]) => {
    const request = { queueName: QUEUE, jobId: 'job-1', payload };
    const fetch = (globalThis as any).__forge_fetch__;
    const response = await fetch(
      { type: 'fpp', provider: 'app', remote: 'stargate' },
      '/webhook/queue/publish/ctx/env/app/1',
      { method: 'POST', body: JSON.stringify(request) },
    );
    return validatePushAPIResponse(request as never, response, { jobId: 'job-1' });
  };

  it.each([
    ['51 events', Array.from({ length: 51 }, () => ({ body: {} })), /at most 50 events/],
    ['a body that is not an object', [{ body: 'text' }], /expected an object as body/],
    ['a body that is an array', [{ body: [1] }], /expected an object as body/],
    ['a delay over 900 s', [{ body: {}, delayInSeconds: 901 }], /delayInSeconds from 0 to 900/],
    ['a negative delay', [{ body: {}, delayInSeconds: -1 }], /delayInSeconds/],
    ['a concurrency limit of 0', [{ body: {}, concurrency: { key: 'k', limit: 0 } }], /limit/],
    ['more than 200 KB', [{ body: { text: 'x'.repeat(201 * 1024) } }], /at most 200 KB/],
  ])('is answered so the real client throws: %s', async (_, payload, message) => {
    await withPlatform(async (platform) => {
      await expect(publish(payload)).rejects.toThrow(message);
      expect(platform.queued).toHaveLength(0);
    });
  });

  it('is not refused when it fits', async () => {
    await withPlatform(async (platform) => {
      await publish(Array.from({ length: 50 }, () => ({ body: {}, delayInSeconds: 900 })));
      expect(platform.queued).toHaveLength(50);
    });
  });
});
