import type { IssueRecord } from './issue-record';
import { parseIssueRecord, rememberDelivery, settleWithoutDelivery } from './issue-record';

const facts = {
  connectionId: 'connection-1',
  issueId: '10021',
  issueKey: 'KAN-22',
  projectId: '10000',
  projectKey: 'KAN',
  labels: ['acme-web'],
  updatedAt: 5,
};

function outsourced(overrides: Partial<IssueRecord> = {}): IssueRecord {
  const first = rememberDelivery(
    undefined,
    { ...facts, state: 'outsourced', sequence: 1, changedAt: 1000, wholeIssue: true },
    'ts_first',
  );
  return { ...first, ...overrides };
}

describe('issue records', () => {
  it('start an episode at the first delivery and keep it while the issue stays outsourced', () => {
    const first = outsourced();
    const next = rememberDelivery(
      first,
      { ...facts, state: 'outsourced', sequence: 2, changedAt: 2000, wholeIssue: true },
      'ts_second',
    );

    expect(first).toMatchObject({ episode: 'ts_first', sequence: 1, lastChangeAt: 1000 });
    expect(next).toMatchObject({ episode: 'ts_first', sequence: 2, lastChangeAt: 2000 });
    expect(next.deliveryIds).toEqual(['ts_first', 'ts_second']);
  });

  it('move the issue-change time only for bodies that carry the whole issue', () => {
    const comment = rememberDelivery(
      outsourced(),
      { ...facts, state: 'outsourced', sequence: 2, changedAt: 3000, wholeIssue: false },
      'ts_comment',
    );

    expect(comment).toMatchObject({ lastChangeAt: 1000, lastEventAt: 3000 });
  });

  it('start a new episode after a release, with the numbering carried on', () => {
    const released = rememberDelivery(
      outsourced(),
      { ...facts, state: 'released', sequence: 2, changedAt: 2000, wholeIssue: true },
      'ts_release',
    );
    const again = rememberDelivery(
      released,
      { ...facts, state: 'outsourced', sequence: 3, changedAt: 4000, wholeIssue: true },
      'ts_again',
    );

    expect(released).toMatchObject({ state: 'released', episode: 'ts_first', sequence: 2 });
    expect(again).toMatchObject({ state: 'outsourced', episode: 'ts_again', sequence: 3 });
    expect(again.lastChangeAt).toBe(4000);
  });

  it('move the numbering on without a delivery, never backwards', () => {
    const record = outsourced({ sequence: 4 });

    expect(settleWithoutDelivery(record, 5, { ...facts, now: 9 })).toMatchObject({
      sequence: 5,
      deliveryIds: ['ts_first'],
      state: 'outsourced',
    });
    expect(settleWithoutDelivery(record, 3, { ...facts, now: 9 }).sequence).toBe(4);
    expect(settleWithoutDelivery(undefined, 1, { ...facts, now: 9 })).toMatchObject({
      state: 'released',
      sequence: 1,
      deliveryIds: [],
    });
  });

  it('upgrade a record written before records were numbered, and refuse anything else', () => {
    const v1 = {
      version: 1,
      connectionId: 'c',
      episode: 'ts_a',
      issueId: '1',
      issueKey: 'A-1',
      projectId: '2',
      projectKey: 'A',
      labels: [],
      deliveryIds: ['ts_a'],
      updatedAt: 1,
    };

    expect(parseIssueRecord(v1)).toMatchObject({ version: 2, state: 'outsourced', sequence: 0 });
    expect(parseIssueRecord({ ...v1, version: 3 })).toBeUndefined();
    expect(parseIssueRecord('issue')).toBeUndefined();
  });
});
