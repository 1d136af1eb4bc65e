import { makeEvent, makeIssue } from './support/builders';
import { accountFor } from './support/delivery-invariants';
import { replay } from './support/replay';

/**
 * KVS failing while a change is set aside as a dead letter: the change never ends up both
 * delivered and a dead letter.
 * (Found in a break-it pass; each failed before its fix.)
 */

jest.setTimeout(120_000);

const issue = makeIssue();
const created = makeEvent('avi:jira:created:issue', issue, { timestamp: '1796119200000' });
const start = { jira: { issues: { '10021': issue } } };

describe('KVS failing while a refused change is kept as a dead letter', () => {
  it('does not leave a dead letter for a change that ends up delivered', async () => {
    const replayed = await replay(
      [start, { receiver: { respond: [422] } }, { event: created }, { advance: { seconds: 600 } }],
      {
        onStart: ({ receiver, platform }) => {
          let armed = true;
          receiver.onDelivery(() => {
            if (!armed) return;
            armed = false;
            // The dead letter is written; listing them (to keep at most 500) then fails.
            // Past 72 hours the failed attempt becomes a dead letter; listing them then fails,
            // and tasksource is back.
            platform.kvs.faults.add([{ match: 'query', status: 500, times: 3 }]);
          });
        },
      },
    );

    expect(accountFor(replayed).problems).toEqual([]);
  });

  it('a 503 outage at the 72-hour mark: the expired change is not both delivered and a dead letter', async () => {
    const replayed = await replay(
      [
        start,
        { receiver: { answer: 503 } },
        { event: created },
        { advance: { seconds: 24 * 3600 } },
        { advance: { seconds: 24 * 3600 } },
        { advance: { seconds: 25 * 3600 } },
      ],
      {
        onStart: ({ receiver, platform }) => {
          platform.kvs.onWrite((write) => {
            if (write.namespace !== 'plain' || !write.key.startsWith('dead:')) return;
            // Past 72 hours the failed attempt becomes a dead letter; listing them then fails,
            // and tasksource is back.
            platform.kvs.faults.add([{ match: 'query', status: 500, times: 3 }]);
            receiver.answerAlways(200);
          });
        },
      },
    );
    // carry on past the lease
    expect(accountFor(replayed).problems).toEqual([]);
  });
});
