import type { JiraEvent } from './jira-event';
import { parseJiraEvent } from './jira-event';
import { identifyChange } from './identify-change';

const INSTALLATION = 'ari:cloud:ecosystem::installation/7d2e9f4a-1111-2222-3333-444455556666';
const OTHER_INSTALLATION = 'ari:cloud:ecosystem::installation/0a1b2c3d-1111-2222-3333-444455556666';

/** Builds an event through the real parser, so ids are normalised as in production. */
function makeEvent(overrides: Record<string, unknown> = {}): JiraEvent {
  const parsed = parseJiraEvent({
    eventType: 'avi:jira:updated:issue',
    timestamp: '1614265330000',
    issue: { id: '10042', key: 'ACME-42', fields: { updated: '2021-02-25T15:02:10.000+0000' } },
    changelog: { id: '10233', items: [] },
    ...overrides,
  });
  if (!parsed.ok) throw new Error(`test event does not parse: ${JSON.stringify(parsed.issues)}`);
  return parsed.event;
}

function makeCommentEvent(
  comment: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): JiraEvent {
  return makeEvent({
    eventType: 'avi:jira:commented:issue',
    changelog: undefined,
    comment: { id: '10019', ...comment },
    ...overrides,
  });
}

const idOf = (event: JiraEvent, installationId = INSTALLATION) =>
  identifyChange(event, installationId).deliveryId;

describe('identifyChange', () => {
  it('gives assigned:issue and updated:issue for one changelog the same delivery id', () => {
    const updated = makeEvent({ eventType: 'avi:jira:updated:issue' });
    const assigned = makeEvent({
      eventType: 'avi:jira:assigned:issue',
      timestamp: '1614265330999',
    });

    expect(idOf(assigned)).toBe(idOf(updated));
  });

  it('gives the same delivery id when Forge redelivers the same event', () => {
    const retried = makeEvent({ retryContext: { retryCount: 2 } });

    expect(idOf(retried)).toBe(idOf(makeEvent()));
  });

  it('treats numeric and string changelog ids alike', () => {
    expect(idOf(makeEvent({ changelog: { id: 10233, items: [] } }))).toBe(idOf(makeEvent()));
  });

  it('gives a new delivery id for a new changelog', () => {
    expect(idOf(makeEvent({ changelog: { id: '10234', items: [] } }))).not.toBe(idOf(makeEvent()));
  });

  it('gives a different delivery id for the same change on another installation', () => {
    expect(idOf(makeEvent(), OTHER_INSTALLATION)).not.toBe(idOf(makeEvent()));
  });

  it('gives a different delivery id for the same changelog on another issue', () => {
    const other = makeEvent({ issue: { id: '10043' } });

    expect(idOf(other)).not.toBe(idOf(makeEvent()));
  });

  it("names an update without a changelog by the issue's updated time", () => {
    const first = makeEvent({ changelog: undefined });
    const same = makeEvent({ changelog: undefined, timestamp: '1614265339999' });
    const later = makeEvent({
      changelog: undefined,
      issue: { id: '10042', fields: { updated: '2021-02-25T15:09:00.000+0000' } },
    });

    expect(idOf(same)).toBe(idOf(first));
    expect(idOf(later)).not.toBe(idOf(first));
  });

  it('gives a comment edit a new delivery id', () => {
    const created = makeCommentEvent({ created: '2021-02-25T15:02:10.000+0000' });
    const edited = makeCommentEvent({
      created: '2021-02-25T15:02:10.000+0000',
      updated: '2021-02-25T15:30:00.000+0000',
    });

    expect(idOf(edited)).not.toBe(idOf(created));
  });

  it('gives one comment version the same delivery id on every event', () => {
    const comment = {
      created: '2021-02-25T15:02:10.000+0000',
      updated: '2021-02-25T15:30:00.000+0000',
    };

    const again = makeCommentEvent(comment, { timestamp: '1614265999999' });

    expect(idOf(again)).toBe(idOf(makeCommentEvent(comment)));
  });

  it('gives a comment delete a different delivery id from the comment', () => {
    const comment = { created: '2021-02-25T15:02:10.000+0000' };

    expect(idOf(makeCommentEvent(comment, { eventType: 'avi:jira:deleted:comment' }))).not.toBe(
      idOf(makeCommentEvent(comment)),
    );
  });

  it('gives created and deleted different delivery ids', () => {
    const created = makeEvent({ eventType: 'avi:jira:created:issue', changelog: undefined });
    const deleted = makeEvent({ eventType: 'avi:jira:deleted:issue', changelog: undefined });

    expect(idOf(created)).not.toBe(idOf(deleted));
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['issue-created', 'avi:jira:created:issue', {}],
    ['issue-updated', 'avi:jira:updated:issue', {}],
    ['issue-updated', 'avi:jira:assigned:issue', {}],
    ['issue-deleted', 'avi:jira:deleted:issue', {}],
    ['comment', 'avi:jira:commented:issue', { comment: { id: '10019' } }],
    ['comment-deleted', 'avi:jira:deleted:comment', { comment: { id: '10019' } }],
  ])('reports a %s change for %s', (kind, eventType, extra) => {
    const change = identifyChange(makeEvent({ eventType, ...extra }), INSTALLATION);

    expect(change).toMatchObject({ kind, issueId: '10042' });
  });

  it('makes a delivery id of ts_ and 32 hex digits, without dots', () => {
    const events = [
      makeEvent(),
      makeEvent({ changelog: undefined }),
      makeEvent({ eventType: 'avi:jira:created:issue' }),
      makeCommentEvent({ updated: '2021-02-25T15:30:00.000+0000' }),
    ];

    for (const event of events) {
      const id = idOf(event);

      expect(id).toMatch(/^ts_[0-9a-f]{32}$/);
      expect(id).not.toContain('.');
    }
  });
});
