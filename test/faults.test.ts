import type { ReplayLine } from '../local/replay/run-scenario';
import { assigneeChange, INTEGRATION, makeEvent, makeIssue } from './support/builders';
import { bodyOf, replay } from './support/replay';

/**
 * Faults injected through scenario steps (`receiver`, `jira.faults`, `kvs.faults`, `parallel`),
 * and what the app does about each within the retries Forge gives a trigger.
 */

const outsourced = makeIssue();
const created = makeEvent('avi:jira:created:issue', outsourced);
const start = { jira: { issues: { '10021': outsourced } } };
/**
 * Long enough for the 4 trigger retries the app asks for (backoff of at most 30 + 60 + 120 + 240
 * s, or these tests' short Retry-After), and short of the hourly scheduled reconcile.
 */
const laterOn = { advance: { seconds: 1800 } };

const typesOf = (lines: ReplayLine[]) => lines.map((line) => line.type);
const retries = (lines: ReplayLine[]) =>
  lines.filter((line): line is Extract<ReplayLine, { type: 'retry' }> => line.type === 'retry');

describe('the receiver', () => {
  it('answers queued statuses in turn, honouring Retry-After, then 200', async () => {
    const { lines, deliveries } = await replay([
      start,
      { receiver: { respond: [503, { status: 429, retryAfter: 30 }] } },
      { event: created },
      laterOn,
    ]);

    expect(deliveries.map((line) => line.status)).toEqual([503, 429, 200]);
    expect(retries(lines).map((line) => line.retryAfter)[1]).toBe(30);
    expect(new Set(deliveries.map((line) => line.headers['webhook-id'])).size).toBe(1);
  });

  it('stays down during an outage, and the next change goes through once it ends', async () => {
    const second = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, INTEGRATION, '7'),
    });
    const { lines, deliveries } = await replay([
      start,
      { receiver: { answer: 503 } },
      { event: created },
      laterOn,
      { receiver: { answer: 200 } },
      { event: second },
    ]);

    expect(deliveries.map((line) => line.status)).toEqual([503, 503, 503, 503, 503, 200]);
    expect(lines.filter((line) => line.type === 'error')).toHaveLength(1);
  });

  it('records a dropped connection as an attempt without an answer, and retries it', async () => {
    const { deliveries } = await replay([
      start,
      { receiver: { respond: ['reset'] } },
      { event: created },
      laterOn,
    ]);

    expect(deliveries.map((line) => [line.status, line.failure ?? null])).toEqual([
      [null, 'connection reset'],
      [200, null],
    ]);
  });
});

describe('Jira and KVS faults', () => {
  it('retries a rate-limited issue read after the Retry-After Jira gave', async () => {
    const { lines, deliveries } = await replay([
      start,
      {
        jira: {
          faults: [{ path: '/rest/api/2/issue/10021', status: 429, retryAfter: 5, times: 2 }],
        },
      },
      { event: created },
      laterOn,
    ]);

    expect(retries(lines).map((line) => line.retryAfter)).toEqual([5, 5]);
    expect(deliveries).toHaveLength(1);
  });

  it('backs off with jitter when Jira answers 429 without Retry-After', async () => {
    const { lines } = await replay([
      start,
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 429 }] } },
      { event: created },
    ]);

    const [retry] = retries(lines);
    expect(retry!.retryAfter).toBeGreaterThanOrEqual(1);
    expect(retry!.retryAfter).toBeLessThanOrEqual(30);
  });

  it('treats a KVS rate limit as worth a retry and still delivers once', async () => {
    const { lines, deliveries } = await replay([
      start,
      { kvs: { faults: [{ op: 'set', status: 429 }] } },
      { event: created },
      laterOn,
    ]);

    expect(typesOf(lines)).toEqual(['retry', 'delivery']);
    expect(deliveries).toHaveLength(1);
  });

  it('skips an issue Jira says is gone, without retrying', async () => {
    const { lines } = await replay([
      start,
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 404 }] } },
      { event: created },
    ]);

    expect(lines).toEqual([expect.objectContaining({ type: 'skip', reason: 'issue-not-found' })]);
  });
});

describe('events handled at the same moment', () => {
  it('deliver one assignment once, when assigned:issue and updated:issue race', async () => {
    const changelog = assigneeChange(null, INTEGRATION, '10500');
    const { deliveries, skips } = await replay([
      start,
      {
        parallel: [
          { event: makeEvent('avi:jira:assigned:issue', outsourced, { changelog }) },
          { event: makeEvent('avi:jira:updated:issue', outsourced, { changelog }) },
        ],
      },
    ]);

    expect(deliveries).toHaveLength(1);
    expect(skips.map((skip) => skip.reason)).toEqual(['in-flight']);
  });

  it('release an issue once, when two releasing changes race', async () => {
    const gone = makeIssue({ assignee: null, labels: [] });
    const { deliveries } = await replay([
      start,
      { event: created },
      { jira: { issues: { '10021': gone } } },
      {
        parallel: [
          {
            event: makeEvent('avi:jira:updated:issue', outsourced, {
              changelog: assigneeChange(INTEGRATION, null, '1'),
            }),
          },
          {
            event: makeEvent('avi:jira:updated:issue', outsourced, {
              changelog: { id: '2', items: [] },
            }),
          },
        ],
      },
    ]);

    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
  });
});
