import type { ReplayLine } from '../local/replay/run-scenario';
import { assigneeChange, INTEGRATION, makeEvent, makeIssue } from './support/builders';
import { bodyOf, replay } from './support/replay';

/**
 * Faults injected through scenario steps (`receiver`, `jira.faults`, `kvs.faults`, `parallel`),
 * and what the app does about each: the first attempt in the trigger, every later one from the
 * app's queue, at the time the app asked for.
 */

const outsourced = makeIssue();
const created = makeEvent('avi:jira:created:issue', outsourced);
const start = { jira: { issues: { '10021': outsourced } } };
/**
 * Long enough for several queued retries (30 s, 60 s, 120 s … with jitter), short of the hour.
 */
const laterOn = { advance: { seconds: 1800 } };

const typesOf = (lines: ReplayLine[]) => lines.map((line) => line.type);
const queued = (lines: ReplayLine[]) =>
  lines.filter((line): line is Extract<ReplayLine, { type: 'queued' }> => line.type === 'queued');
/** Seconds from the failed attempt to the next one, as the app scheduled it. */
const waitOf = (line: Extract<ReplayLine, { type: 'queued' }>) =>
  Math.round((Date.parse(line.retryAt) - Date.parse(line.at)) / 1000);

describe('the receiver', () => {
  it('answers queued statuses in turn, honouring Retry-After, then 200', async () => {
    const { lines, deliveries } = await replay([
      start,
      { receiver: { respond: [503, { status: 429, retryAfter: 30 }] } },
      { event: created },
      laterOn,
    ]);

    expect(deliveries.map((line) => line.status)).toEqual([503, 429, 200]);
    const [afterOutage, afterRateLimit] = queued(lines).map(waitOf);
    expect(afterOutage).toBeGreaterThanOrEqual(1);
    expect(afterOutage).toBeLessThanOrEqual(30);
    expect(afterRateLimit).toBe(30);
    const gap = Date.parse(deliveries[2]!.at) - Date.parse(deliveries[1]!.at);
    expect(Math.round(gap / 1000)).toBeGreaterThanOrEqual(30);
    expect(new Set(deliveries.map((line) => line.headers['webhook-id'])).size).toBe(1);
    expect(deliveries.map((line) => line.headers['x-atlassian-webhook-retry'])).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  it('holds later changes of the issue during an outage, then sends them in order', async () => {
    const second = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, INTEGRATION, '7'),
    });
    const { lines, deliveries } = await replay([
      start,
      { receiver: { answer: 503 } },
      { event: created },
      laterOn,
      { event: second },
      { receiver: { answer: 200 } },
      { advance: { seconds: 900 } },
    ]);

    const accepted = deliveries.filter((line) => line.status === 200);
    expect(accepted.map((line) => bodyOf(line).tasksource.sequence)).toEqual([1, 2]);
    expect(accepted.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'jira:issue_created',
      'jira:issue_updated',
    ]);
    expect(deliveries.slice(0, -2).every((line) => line.status === 503)).toBe(true);
    expect(deliveries.length).toBeGreaterThan(4);
    expect(typesOf(lines)).not.toContain('error');
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
  it('decides a rate-limited event again after the Retry-After Jira gave', async () => {
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

    expect(queued(lines).map(waitOf)).toEqual([5, 5]);
    expect(deliveries).toHaveLength(1);
    expect(bodyOf(deliveries[0]!).webhookEvent).toBe('jira:issue_created');
  });

  it('backs off with jitter when Jira answers 429 without Retry-After', async () => {
    const { lines, deliveries } = await replay([
      start,
      { jira: { faults: [{ path: '/rest/api/2/issue/10021', status: 429 }] } },
      { event: created },
      laterOn,
    ]);

    const [wait] = queued(lines).map(waitOf);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(30);
    expect(deliveries).toHaveLength(1);
  });

  it('waits out a short KVS rate limit within the invocation', async () => {
    const { lines, deliveries } = await replay([
      start,
      { kvs: { faults: [{ op: 'set', status: 429, times: 2 }] } },
      { event: created },
    ]);

    expect(typesOf(lines)).toEqual(['delivery']);
    expect(deliveries).toHaveLength(1);
  });

  it('hands a longer KVS rate limit to Forge, and still delivers once', async () => {
    const { lines, deliveries } = await replay([
      start,
      { kvs: { faults: [{ op: 'set', status: 429, times: 3 }] } },
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
    const { deliveries, skips, kvs } = await replay([
      start,
      {
        parallel: [
          { event: makeEvent('avi:jira:assigned:issue', outsourced, { changelog }) },
          { event: makeEvent('avi:jira:updated:issue', outsourced, { changelog }) },
        ],
      },
    ]);

    expect(deliveries).toHaveLength(1);
    expect(skips).toEqual([]);
    expect(kvs.plain['issue:10021']).toMatchObject({ sequence: 1 });
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
      laterOn,
    ]);

    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
  });
});
