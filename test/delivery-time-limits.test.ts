import { assigneeChange, INTEGRATION, makeEvent, makeIssue } from './support/builders';
import { expectPromiseKept } from './support/delivery-invariants';
import { replay } from './support/replay';

/**
 * A long drain with timeouts among the answers stays inside Forge's time limits and
 * delivers every change once, in order.
 * (From a break-it pass: these held, and stay as regressions.)
 */

jest.setTimeout(300_000);

const issue = makeIssue();
const at = (n: number) => String(1_796_119_200_000 + n * 1000);

describe('a drain of 120 waiting changes with timeouts sprinkled in', () => {
  it('keeps every invocation inside its limit and delivers all once, in order', async () => {
    const events = [
      { event: makeEvent('avi:jira:created:issue', issue, { timestamp: at(0) }) },
      ...Array.from({ length: 119 }, (_, n) => ({
        event: makeEvent('avi:jira:updated:issue', issue, {
          timestamp: at(n + 1),
          changelog: assigneeChange(null, INTEGRATION, String(70_000 + n)),
        }),
      })),
    ];
    const answers: unknown[] = [];
    for (let n = 0; n < 120; n += 1) answers.push(n % 60 === 59 ? 'timeout' : 200);
    const replayed = await replay([
      { jira: { issues: { '10021': issue } } },
      { receiver: { answer: 503 } },
      ...events,
      { receiver: { answer: 200 } },
      { receiver: { respond: answers } },
      { advance: { seconds: 1800 } },
    ]);
    const account = expectPromiseKept(replayed, 120);
    expect(account.sequences['10021']).toHaveLength(120);
  });
});
