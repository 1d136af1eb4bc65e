import {
  assigneeChange,
  ALEX,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
} from './support/builders';
import { accountFor } from './support/delivery-invariants';
import { replay } from './support/replay';

/**
 * Redelivered events across episodes: an issue released and outsourced again still
 * recognises a change it delivered, or kept as a dead letter, before the release.
 * (Found in a break-it pass; each failed before its fix.)
 */

jest.setTimeout(60_000);

const at = (seconds: number) => String(1_796_119_200_000 + seconds * 1000);
const comment = makeComment({ id: '10100', created: '2026-12-01T09:21:00.000+0000' });
const outsourced = makeIssue({ comments: [comment] });
const unassigned = makeIssue({ assignee: ALEX, comments: [comment] });
const update = (issue: Record<string, unknown>, id: string, seconds: number, to: string) =>
  makeEvent('avi:jira:updated:issue', issue, {
    timestamp: at(seconds),
    changelog: assigneeChange(null, to, id),
  });
const commentEvent = {
  ...makeCommentEvent('avi:jira:commented:issue', outsourced, comment),
  timestamp: at(5),
};

describe('a redelivered comment event after the issue was released and outsourced again', () => {
  it('is not sent a second time under the same delivery id', async () => {
    const replayed = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:created:issue', outsourced, { timestamp: at(0) }) },
      { event: commentEvent },
      { jira: { issues: { '10021': unassigned } } },
      { event: update(unassigned, '801', 10, ALEX) },
      { jira: { issues: { '10021': outsourced } } },
      { event: update(outsourced, '802', 20, INTEGRATION) },
      { note: 'Forge delivers the comment event again', event: commentEvent },
    ]);

    const ids = replayed.deliveries.map((d) => d.headers['x-atlassian-webhook-identifier']);
    expect(accountFor(replayed).problems).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('of a change kept as a dead letter is not sent again either', async () => {
    const replayed = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:created:issue', outsourced, { timestamp: at(0) }) },
      { receiver: { respond: [422] } },
      { event: commentEvent },
      { jira: { issues: { '10021': unassigned } } },
      { event: update(unassigned, '801', 10, ALEX) },
      { jira: { issues: { '10021': outsourced } } },
      { event: update(outsourced, '802', 20, INTEGRATION) },
      { note: 'Forge delivers the refused comment event again', event: commentEvent },
    ]);
    expect(accountFor(replayed).problems).toEqual([]);
  });
});
