import type { Decision, Outsourcing, ReleaseReason, SkipReason } from './forwarding-rules';
import {
  assessOutsourcing,
  decideForwarding,
  isAlreadyDelivered,
  isKeptAsDeadLetter,
  isStale,
  outsideOutsourcingProjects,
} from './forwarding-rules';
import type { ChangeKind } from './identify-change';
import { releaseIdOf } from './identify-change';
import type { IssueRecord } from './issue-record';
import type { IssueFacts } from './jira-issue';
import type { StoredSettings } from './settings';

const INTEGRATION = '712020:8f3e2a6b-integration';
const SOMEONE_ELSE = '5b10ac8d82e05b22cc7d4ef5';
const ACME = '10000';
const OTHER = '10001';
const UNCONFIGURED = '10099';

function makeSettings(overrides: Partial<StoredSettings> = {}): StoredSettings {
  return {
    version: 1,
    connection: {
      webhookUrl: 'https://api.tasksource.io/jira?companyId=abc',
      integrationAccountId: INTEGRATION,
      connectionId: 'connection-1',
    },
    projects: {
      [ACME]: { labels: ['acme-web', 'acme-app'], enabled: true },
      [OTHER]: { labels: ['other-web'], enabled: true },
    },
    ...overrides,
  };
}

function makeIssue(overrides: Partial<IssueFacts> = {}): IssueFacts {
  return { projectId: ACME, assigneeAccountId: INTEGRATION, labels: ['acme-web'], ...overrides };
}

function makeRecord(overrides: Partial<IssueRecord> = {}): IssueRecord {
  return {
    version: 2,
    state: 'outsourced',
    sequence: 1,
    lastChangeAt: null,
    lastEventAt: null,
    deadIds: [],
    connectionId: 'connection-1',
    episode: 'ts_00000000000000000000000000000001',
    issueId: '10042',
    issueKey: 'ACME-42',
    projectId: ACME,
    projectKey: 'ACME',
    labels: ['acme-web'],
    deliveryIds: ['ts_00000000000000000000000000000001'],
    updatedAt: 1614265330000,
    ...overrides,
  };
}

const withProjects = (projects: StoredSettings['projects']) => makeSettings({ projects });

describe('assessOutsourcing', () => {
  it.each<[string, IssueFacts, StoredSettings, Outsourcing]>([
    [
      'is outsourced when assigned to the integration account with a mapped label',
      makeIssue(),
      makeSettings(),
      { outsourced: true, labels: ['acme-web'] },
    ],
    [
      'keeps only the mapped labels of an outsourced issue',
      makeIssue({ labels: ['frontend', 'acme-app', 'urgent', 'acme-web'] }),
      makeSettings(),
      { outsourced: true, labels: ['acme-app', 'acme-web'] },
    ],
    [
      'matches labels case-sensitively (Acme-web is not acme-web), naming the look-alike',
      makeIssue({ labels: ['Acme-web', 'ACME-APP'] }),
      makeSettings(),
      { outsourced: false, why: 'only-a-lookalike-label' },
    ],
    [
      'does not match a label with a Cyrillic а, naming the look-alike',
      makeIssue({ labels: ['\u0430cme-web'] }),
      makeSettings(),
      { outsourced: false, why: 'only-a-lookalike-label' },
    ],
    [
      'is not outsourced without any label',
      makeIssue({ labels: [] }),
      makeSettings(),
      { outsourced: false, why: 'no-mapped-label' },
    ],
    [
      'ignores a label mapped only to another project',
      makeIssue({ labels: ['other-web'] }),
      makeSettings(),
      { outsourced: false, why: 'no-mapped-label' },
    ],
    [
      'is not outsourced when unassigned',
      makeIssue({ assigneeAccountId: null }),
      makeSettings(),
      { outsourced: false, why: 'not-assigned-to-integration-account' },
    ],
    [
      'is not outsourced when assigned to someone else',
      makeIssue({ assigneeAccountId: SOMEONE_ELSE }),
      makeSettings(),
      { outsourced: false, why: 'not-assigned-to-integration-account' },
    ],
    [
      'is not outsourced when no integration account is connected',
      makeIssue(),
      makeSettings({ connection: undefined }),
      { outsourced: false, why: 'not-assigned-to-integration-account' },
    ],
    [
      'is not outsourced in a project that has no settings',
      makeIssue({ projectId: UNCONFIGURED }),
      makeSettings(),
      { outsourced: false, why: 'project-not-configured' },
    ],
    [
      'is not outsourced in a project with no mapped labels',
      makeIssue(),
      withProjects({ [ACME]: { labels: [], enabled: true } }),
      { outsourced: false, why: 'project-not-configured' },
    ],
    [
      'is not outsourced in a project with forwarding disabled',
      makeIssue(),
      withProjects({ [ACME]: { labels: ['acme-web'], enabled: false } }),
      { outsourced: false, why: 'project-disabled' },
    ],
  ])('%s', (_name, issue, settings, expected) => {
    expect(assessOutsourcing(issue, settings)).toEqual(expected);
  });
});

interface DecisionCase {
  change?: ChangeKind;
  issue: IssueFacts | 'gone';
  record: IssueRecord | undefined;
  settings?: StoredSettings;
  expected: Decision;
}

describe('decideForwarding', () => {
  const forward = (labels: string[]): Decision => ({
    action: 'forward',
    state: 'outsourced',
    labels,
  });
  const release = (reason: ReleaseReason, labels = ['acme-web']): Decision => ({
    action: 'release',
    state: 'released',
    labels,
    reason,
  });
  const skip = (reason: SkipReason): Decision => ({ action: 'skip', reason });

  it.each<[string, DecisionCase]>([
    [
      'forwards a newly outsourced issue',
      { issue: makeIssue(), record: undefined, expected: forward(['acme-web']) },
    ],
    [
      'forwards a change to an issue that stays outsourced',
      {
        issue: makeIssue({ labels: ['acme-web', 'acme-app'] }),
        record: makeRecord(),
        expected: forward(['acme-web', 'acme-app']),
      },
    ],
    [
      'forwards a comment while the issue is outsourced',
      {
        change: 'comment',
        issue: makeIssue(),
        record: makeRecord(),
        expected: forward(['acme-web']),
      },
    ],
    [
      'forwards an issue moved to another project where it is still outsourced',
      {
        issue: makeIssue({ projectId: OTHER, labels: ['other-web'] }),
        record: makeRecord(),
        expected: forward(['other-web']),
      },
    ],
    [
      'releases an outsourced issue that is unassigned',
      {
        issue: makeIssue({ assigneeAccountId: null }),
        record: makeRecord(),
        expected: release('unassigned'),
      },
    ],
    [
      'releases an outsourced issue reassigned to someone else as unassigned',
      {
        issue: makeIssue({ assigneeAccountId: SOMEONE_ELSE }),
        record: makeRecord(),
        expected: release('unassigned'),
      },
    ],
    [
      'releases an outsourced issue whose mapped label is removed',
      {
        issue: makeIssue({ labels: ['frontend'] }),
        record: makeRecord(),
        expected: release('label-removed'),
      },
    ],
    [
      'releases an outsourced issue whose label only changes case',
      {
        issue: makeIssue({ labels: ['Acme-web'] }),
        record: makeRecord(),
        expected: release('label-removed'),
      },
    ],
    [
      'releases an outsourced issue moved to a project without its label',
      { issue: makeIssue({ projectId: OTHER }), record: makeRecord(), expected: release('moved') },
    ],
    [
      'releases an outsourced issue moved to an unconfigured project as moved',
      {
        issue: makeIssue({ projectId: UNCONFIGURED }),
        record: makeRecord(),
        expected: release('moved'),
      },
    ],
    [
      'releases an outsourced issue when its project is disabled',
      {
        issue: makeIssue(),
        record: makeRecord(),
        settings: withProjects({ [ACME]: { labels: ['acme-web'], enabled: false } }),
        expected: release('project-disabled'),
      },
    ],
    [
      "releases an outsourced issue when its project's mapping is removed",
      {
        issue: makeIssue(),
        record: makeRecord(),
        settings: withProjects({}),
        expected: release('mapping-removed'),
      },
    ],
    [
      "releases an outsourced issue when its project's labels are all removed",
      {
        issue: makeIssue(),
        record: makeRecord(),
        settings: withProjects({ [ACME]: { labels: [], enabled: true } }),
        expected: release('mapping-removed'),
      },
    ],
    [
      'releases a deleted outsourced issue with the labels it was forwarded with',
      {
        change: 'issue-deleted',
        issue: 'gone',
        record: makeRecord({ labels: ['acme-app'] }),
        expected: release('deleted', ['acme-app']),
      },
    ],
    [
      'releases an outsourced issue the app can no longer see',
      { issue: 'gone', record: makeRecord(), expected: release('no-longer-visible') },
    ],
    [
      'releases an outsourced issue that is gone when a comment arrives',
      {
        change: 'comment',
        issue: 'gone',
        record: makeRecord(),
        expected: release('no-longer-visible'),
      },
    ],
    [
      'releases with the recorded labels, not the current ones',
      {
        issue: makeIssue({ assigneeAccountId: null, labels: ['acme-app'] }),
        record: makeRecord({ labels: ['acme-web'] }),
        expected: release('unassigned', ['acme-web']),
      },
    ],
    [
      'skips an issue that was never outsourced and is unassigned',
      {
        issue: makeIssue({ assigneeAccountId: null }),
        record: undefined,
        expected: skip('not-assigned-to-integration-account'),
      },
    ],
    [
      'skips an issue that was never outsourced and has no mapped label',
      {
        issue: makeIssue({ labels: ['unrelated'] }),
        record: undefined,
        expected: skip('no-mapped-label'),
      },
    ],
    [
      'skips an issue in an unconfigured project',
      {
        issue: makeIssue({ projectId: UNCONFIGURED }),
        record: undefined,
        expected: skip('project-not-configured'),
      },
    ],
    [
      'skips an issue in a disabled project',
      {
        issue: makeIssue(),
        record: undefined,
        settings: withProjects({ [ACME]: { labels: ['acme-web'], enabled: false } }),
        expected: skip('project-disabled'),
      },
    ],
    [
      'skips a comment on an issue that was never outsourced',
      {
        change: 'comment',
        issue: makeIssue({ labels: [] }),
        record: undefined,
        expected: skip('no-mapped-label'),
      },
    ],
    [
      'skips a deleted issue the app never forwarded',
      {
        change: 'issue-deleted',
        issue: 'gone',
        record: undefined,
        expected: skip('issue-not-found'),
      },
    ],
    [
      'skips an invisible issue the app never forwarded',
      { issue: 'gone', record: undefined, expected: skip('issue-not-found') },
    ],
  ])(
    '%s',
    (_name, { change = 'issue-updated', issue, record, settings = makeSettings(), expected }) => {
      expect(decideForwarding({ change, issue, record, settings })).toEqual(expected);
    },
  );
});

describe('isAlreadyDelivered', () => {
  const delivered = 'ts_00000000000000000000000000000001';

  it.each<[string, IssueRecord | undefined, string, boolean]>([
    ['is false when the app holds no record', undefined, delivered, false],
    ['is true for a delivery id the record remembers', makeRecord(), delivered, true],
    ['is false for a new delivery id', makeRecord(), 'ts_00000000000000000000000000000002', false],
    ['is false for a record with no deliveries', makeRecord({ deliveryIds: [] }), delivered, false],
  ])('%s', (_name, record, deliveryId, expected) => {
    expect(isAlreadyDelivered(record, deliveryId)).toBe(expected);
  });
});

describe('isKeptAsDeadLetter', () => {
  const change = 'ts_00000000000000000000000000000003';

  it.each<[string, IssueRecord | undefined, boolean]>([
    ['is false when the app holds no record', undefined, false],
    ['is false when nothing is dead', makeRecord({ deadIds: [] }), false],
    ['is true for the change kept as a dead letter', makeRecord({ deadIds: [change] }), true],
    ['is true when its release was', makeRecord({ deadIds: [releaseIdOf(change)] }), true],
    ['is false for another change', makeRecord({ deadIds: [releaseIdOf('ts_x')] }), false],
  ])('%s', (_name, record, expected) => {
    expect(isKeptAsDeadLetter(record, change)).toBe(expected);
  });
});

describe('rule 6: a late event older than what tasksource has is stale', () => {
  const record = makeRecord({ lastChangeAt: 2000 });

  it.each<[string, Parameters<typeof isStale>, boolean]>([
    ['a create after the issue was forwarded', ['issue-created', 500, record], true],
    [
      'a create with no time after the issue was forwarded',
      ['issue-created', undefined, record],
      true,
    ],
    ['an update Jira made before the newest forwarded', ['issue-updated', 1999, record], true],
    ['an update at the same time', ['issue-updated', 2000, record], false],
    ['a newer update', ['issue-updated', 2001, record], false],
    ['an update with no time', ['issue-updated', undefined, record], false],
    ['an old comment', ['comment', 1, record], false],
    ['a delete', ['issue-deleted', 1, record], false],
    ['a create of an issue never forwarded', ['issue-created', 1, undefined], false],
    [
      'a create of a released issue',
      ['issue-created', 1, makeRecord({ state: 'released', lastChangeAt: 2000 })],
      false,
    ],
  ])('%s', (_, args, stale) => {
    expect(isStale(...args)).toBe(stale);
  });
});

describe('rule 3 before anything is read: an event from a project that outsources nothing', () => {
  const move = (from: string | null, field = 'project') => ({
    items: [{ field, fieldId: field, from, fromString: null, to: UNCONFIGURED, toString: null }],
  });
  const settings = makeSettings({
    projects: {
      [ACME]: { labels: ['acme-web'], enabled: true },
      [OTHER]: { labels: ['other-web'], enabled: false },
      '10050': { labels: [], enabled: true },
    },
  });

  it.each<[string, Parameters<typeof outsideOutsourcingProjects>[0], boolean]>([
    ['a project with no settings', { projectId: UNCONFIGURED, changelog: undefined }, true],
    ['a project whose labels were all removed', { projectId: '10050', changelog: undefined }, true],
    ['a project that outsources', { projectId: ACME, changelog: undefined }, false],
    ['a disabled project (it releases)', { projectId: OTHER, changelog: undefined }, false],
    ['an event naming no project', { projectId: undefined, changelog: undefined }, false],
    [
      'moved here from a project that outsources',
      { projectId: UNCONFIGURED, changelog: move(ACME) },
      false,
    ],
    [
      'moved here from a disabled project',
      { projectId: UNCONFIGURED, changelog: move(OTHER) },
      false,
    ],
    [
      'moved here from a project with no settings',
      { projectId: UNCONFIGURED, changelog: move('10098') },
      true,
    ],
    ['a project item naming no origin', { projectId: UNCONFIGURED, changelog: move(null) }, true],
    ['another field changed', { projectId: UNCONFIGURED, changelog: move(ACME, 'assignee') }, true],
  ])('%s', (_, event, outside) => {
    expect(outsideOutsourcingProjects(event, settings)).toBe(outside);
  });
});
