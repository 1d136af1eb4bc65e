import type { IssueRecord } from '../core/issue-record';
import type { StoredSettings } from '../core/settings';
import { currentRecord, isMissed, recordsToRelease } from './compare-records';
import type { SearchedIssue } from './ports';

const ACCOUNT = '712020:abc';
const settings: StoredSettings = {
  version: 1,
  connection: {
    webhookUrl: 'https://api.tasksource.io/jira?companyId=c',
    integrationAccountId: ACCOUNT,
    connectionId: 'conn-1',
  },
  projects: { '10000': { labels: ['acme-web'], enabled: true } },
};
const updated = '2026-12-04T09:00:00.000+0000';
const updatedMs = Date.parse('2026-12-04T09:00:00.000Z');

function issue(overrides: Partial<SearchedIssue> = {}): SearchedIssue {
  return {
    id: '10021',
    key: 'KAN-22',
    updated,
    projectId: '10000',
    projectKey: 'KAN',
    assigneeAccountId: ACCOUNT,
    labels: ['acme-web'],
    ...overrides,
  };
}

function record(overrides: Partial<IssueRecord> = {}): IssueRecord {
  return {
    version: 2,
    connectionId: 'conn-1',
    episode: 'ts_1',
    issueId: '10021',
    issueKey: 'KAN-22',
    projectId: '10000',
    projectKey: 'KAN',
    labels: ['acme-web'],
    deliveryIds: ['ts_1'],
    updatedAt: updatedMs + 5_000,
    state: 'outsourced',
    sequence: 1,
    lastChangeAt: updatedMs,
    lastEventAt: null,
    deadIds: [],
    ...overrides,
  };
}

describe('isMissed', () => {
  it.each([
    ['no record', undefined, true],
    ['a record of this change', record(), false],
    ['a record 59 s older', record({ lastChangeAt: updatedMs - 59_000 }), false],
    ['a record 61 s older', record({ lastChangeAt: updatedMs - 61_000 }), true],
    [
      'an older issue change but a comment delivered since',
      record({ lastChangeAt: updatedMs - 3_600_000, lastEventAt: updatedMs }),
      false,
    ],
    ['no lastChangeAt, written after the change', record({ lastChangeAt: null }), false],
    [
      'no lastChangeAt, written long before',
      record({ lastChangeAt: null, updatedAt: updatedMs - 3_600_000 }),
      true,
    ],
  ])('with %s: %p', (_, stored, expected) => {
    expect(isMissed(issue(), stored, settings)).toBe(expected);
  });

  it.each([
    ['a look-alike label', issue({ labels: ['Acme-web'] })],
    ['another assignee', issue({ assigneeAccountId: '712020:other' })],
    ['no assignee', issue({ assigneeAccountId: null })],
    ['a project without labels', issue({ projectId: '10001' })],
  ])('never counts an issue with %s', (_, searched) => {
    expect(isMissed(searched, undefined, settings)).toBe(false);
  });
});

describe('currentRecord', () => {
  it.each([
    ['outsourced, this connection', record(), true],
    ['released', record({ state: 'released' }), false],
    ['another connection', record({ connectionId: 'conn-0' }), false],
  ])('%s: %p', (_, stored, kept) => {
    expect(currentRecord(stored, 'conn-1') !== undefined).toBe(kept);
  });
});

describe('recordsToRelease', () => {
  it('releases records whose issue Jira did not list, or lists not outsourced', () => {
    const records = [record({ issueId: '1' }), record({ issueId: '2' }), record({ issueId: '3' })];
    const still = [issue({ id: '1' }), issue({ id: '3', labels: ['Acme-web'] })];

    expect(recordsToRelease(records, still, settings).map(({ issueId }) => issueId)).toEqual([
      '2',
      '3',
    ]);
  });
});
