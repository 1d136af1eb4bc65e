import type { StoredSettings } from '../core/settings';
import { formatJqlTime } from './jql-time';
import { changedIssuesJql, reconcilableProjects, stillOutsourcedJql } from './reconcile-jql';

const ACCOUNT = '712020:abc';
const settings: StoredSettings = {
  version: 1,
  projects: {
    '10000': { labels: ['acme-web', 'say "hi"\\'], enabled: true },
    '10001': { labels: ['ops'], enabled: false },
    '10002': { labels: [], enabled: true },
    '10003': { labels: ['ops'], enabled: true },
  },
};
const at = Date.UTC(2026, 11, 4, 9, 7, 59, 999);

describe('formatJqlTime', () => {
  it.each([
    ['UTC', '2026/12/04 09:07'],
    ['Australia/Sydney', '2026/12/04 20:07'],
    ['America/New_York', '2026/12/04 04:07'],
  ])('writes the minute, rounded down, in %s', (zone, expected) => {
    expect(formatJqlTime(at, zone)).toBe(expected);
  });

  it('writes midnight as 00, not 24', () => {
    expect(formatJqlTime(Date.UTC(2026, 0, 1, 0, 0), 'UTC')).toBe('2026/01/01 00:00');
  });
});

describe('reconcilableProjects', () => {
  it('keeps configured, enabled projects with labels', () => {
    expect(reconcilableProjects(settings).map(({ id }) => id)).toEqual(['10000', '10003']);
  });
});

describe('changedIssuesJql', () => {
  const project = reconcilableProjects(settings)[0]!;

  it('names the project, the account, its labels quoted, and the window', () => {
    const jql = changedIssuesJql({
      project,
      integrationAccountId: ACCOUNT,
      since: at - 3_600_000,
      until: at,
      timeZone: 'UTC',
    });
    expect(jql).toBe(
      'project = "10000" AND assignee = "712020:abc" AND labels in ("acme-web", "say \\"hi\\"\\\\")' +
        ' AND updated >= "2026/12/04 08:07" AND updated <= "2026/12/04 09:07"',
    );
  });

  it('has no lower bound on a first run', () => {
    const jql = changedIssuesJql({
      project,
      integrationAccountId: ACCOUNT,
      since: null,
      until: at,
      timeZone: 'UTC',
    });
    expect(jql).not.toContain('updated >=');
    expect(jql.endsWith(' AND updated <= "2026/12/04 09:07"')).toBe(true);
  });
});

describe('stillOutsourcedJql', () => {
  it('asks for the ids in any project that outsources', () => {
    const jql = stillOutsourcedJql({
      issueIds: ['10021', '10022'],
      projects: [
        { id: '10000', labels: ['a'] },
        { id: '10003', labels: ['b', 'c'] },
      ],
      integrationAccountId: ACCOUNT,
    });
    expect(jql).toBe(
      'id in (10021, 10022) AND ((project = "10000" AND assignee = "712020:abc" AND labels in ("a"))' +
        ' OR (project = "10003" AND assignee = "712020:abc" AND labels in ("b", "c")))',
    );
  });

  it('drops anything that is not a numeric id', () => {
    const jql = stillOutsourcedJql({
      issueIds: ['10021', '1) OR (1 = 1'],
      projects: [{ id: '10000', labels: ['a'] }],
      integrationAccountId: ACCOUNT,
    });
    expect(jql.startsWith('id in (10021) AND')).toBe(true);
  });
});
