import type { ReplayLine } from '../local/replay/run-scenario';
import {
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
  makeSettings,
  SITE,
} from './support/builders';
import { accountFor } from './support/delivery-invariants';
import { changesOf } from './support/fault-matrix';
import { bodyOf, replay, withRunningScenario } from './support/replay';

/**
 * Regressions for what a break-it pass found in durable delivery (issue 4), one test each:
 * every one failed before its fix.
 */

jest.setTimeout(60_000);

const issue = makeIssue();
const { created, update } = changesOf(issue);
const start = { jira: { issues: { '10021': issue } } };
const idsOf = (lines: { headers: Record<string, string> }[]) =>
  lines.map((line) => line.headers['x-atlassian-webhook-identifier']);

/** An event that names no version of its change: no changelog, no timestamp, no `updated`. */
function provisional(): Record<string, unknown> {
  const event = makeEvent('avi:jira:updated:issue', issue) as {
    timestamp?: unknown;
    issue: { fields: { updated?: unknown } };
  };
  delete event.timestamp;
  delete event.issue.fields.updated;
  return event as Record<string, unknown>;
}

describe('after tasksource answers 410', () => {
  it('sends nothing more, not even the changes already waiting behind the refused one', async () => {
    const replayed = await replay([
      start,
      { receiver: { answer: 503 } },
      { event: created },
      { event: update('701', 1) },
      { event: update('702', 2) },
      { receiver: { respond: [410] } },
      { receiver: { answer: 200 } },
      { advance: { seconds: 1200 } },
    ]);

    const statuses = replayed.deliveries.map((line) => line.status);
    expect(statuses.slice(statuses.indexOf(410) + 1)).toEqual([]);
    const letters = replayed.lines.filter((line) => line.type === 'deadletter');
    expect(letters.map((line) => (line as { reason: string }).reason)).toEqual([
      'endpoint-disabled',
      'endpoint-disabled',
      'endpoint-disabled',
    ]);
  });
});

describe('redelivered events', () => {
  it('do not send again a change tasksource refused and that sits in dead letters', async () => {
    const replayed = await replay([
      start,
      { receiver: { respond: [422] } },
      { event: created },
      { event: created },
    ]);

    expect(replayed.deliveries.map((line) => line.status)).toEqual([422]);
    expect(replayed.skips.map((line) => line.reason)).toEqual(['duplicate']);
    expect(accountFor(replayed).problems).toEqual([]);
  });

  it('are recognised even after many later changes of the issue', async () => {
    const comments = Array.from({ length: 40 }, (_, n) =>
      makeComment({
        id: String(11000 + n),
        created: `2026-12-01T10:${String(n).padStart(2, '0')}:00.000+0000`,
      }),
    );
    const busy = makeIssue({ comments });
    const events = comments.map((comment) =>
      makeCommentEvent('avi:jira:commented:issue', busy, comment),
    );

    const replayed = await replay([
      { jira: { issues: { '10021': busy } } },
      { event: makeEvent('avi:jira:created:issue', busy) },
      ...events.map((event) => ({ event })),
      { note: 'Forge delivers the first comment again', event: events[0] },
    ]);

    expect(accountFor(replayed).problems).toEqual([]);
    expect(replayed.deliveries).toHaveLength(41);
  });

  it('of a change whose event names no version count once, even when Jira was busy', async () => {
    const replayed = await replay([
      start,
      { event: provisional() },
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 429, times: 1 }] } },
      { event: provisional() },
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 503, times: 2 }] } },
      { event: provisional() },
      { event: provisional() },
      { advance: { seconds: 900 } },
    ]);

    expect(replayed.deliveries).toHaveLength(1);
    expect(accountFor(replayed).problems).toEqual([]);
  });
});

describe('the retry header', () => {
  it('counts only POSTs tasksource may have seen, not Jira reads that failed', async () => {
    const replayed = await replay([
      start,
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 503, times: 3 }] } },
      { event: created },
      { advance: { seconds: 1800 } },
    ]);

    expect(replayed.deliveries.map((line) => line.headers['x-atlassian-webhook-retry'])).toEqual([
      '0',
    ]);
  });
});

describe('KVS failing right after tasksource accepted a change', () => {
  it('is waited out, so the change is not sent a second time', async () => {
    const replayed = await replay([start, { event: created }, { advance: { seconds: 600 } }], {
      onStart: ({ receiver, platform }) => {
        let armed = true;
        receiver.onDelivery(() => {
          if (!armed) return;
          armed = false;
          // The record write after the 200 fails three times: past the quick retries.
          platform.kvs.faults.add([{ match: 'set', status: 500, times: 3 }]);
        });
      },
    });

    expect(replayed.deliveries.map((line) => line.status)).toEqual([200]);
    expect(accountFor(replayed).problems).toEqual([]);
    expect(replayed.kvs.plain['issue:10021']).toMatchObject({
      sequence: 1,
      deliveryIds: idsOf(replayed.deliveries),
    });
  });
});

describe('an issue with hundreds of changes waiting', () => {
  it('keeps one more as a dead letter instead of losing it', async () => {
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': issue } },
      steps: [{ receiver: { answer: 503 } }, { event: created }],
    };
    await withRunningScenario(scenario, async ({ platform }) => {
      const head = platform.kvs.snapshot().plain['out:10021:0000000001'] as Record<string, unknown>;
      // 499 more waiting behind it, as 499 trigger invocations would have left them.
      for (let sequence = 2; sequence <= 500; sequence += 1) {
        const id = `ts_${String(sequence).padStart(32, '0')}`;
        platform.kvs.handle('/api/v1/set', {
          key: `out:10021:${String(sequence).padStart(10, '0')}`,
          value: {
            ...head,
            sequence,
            state: 'waiting',
            deliveryId: id,
            baseDeliveryId: id,
            event: update(String(50_000 + sequence), sequence),
          },
        });
      }
      const readsBefore = platform.kvs.counters.reads;

      await platform.fireTrigger(update('99999', 999));

      const keys = Object.keys(platform.kvs.snapshot().plain);
      expect(keys.filter((key) => key.startsWith('dead:'))).toHaveLength(1);
      expect(keys.filter((key) => key.startsWith('out:'))).toHaveLength(500);
      const dead = platform.kvs.snapshot().plain[keys.find((key) => key.startsWith('dead:'))!];
      expect(dead).toMatchObject({ reason: 'too-many-waiting', sequence: null });
      // Finding the end of 500 waiting changes takes a few reads, not 500.
      expect(platform.kvs.counters.reads - readsBefore).toBeLessThan(40);
    });
  });
});

describe('reconciled changes', () => {
  it('say in their body that no event reported them', async () => {
    const replayed = await replay([start, { advance: { seconds: 3600 } }]);

    expect(replayed.deliveries.map((line) => bodyOf(line).tasksource)).toEqual([
      expect.objectContaining({ state: 'outsourced', reconciled: true, sequence: 1 }),
    ]);
    const scheduled = replayed.lines.filter(
      (line): line is Extract<ReplayLine, { type: 'scheduled' }> => line.type === 'scheduled',
    );
    expect(scheduled).toHaveLength(1);
  });
});
