import {
  assigneeChange,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
} from './builders';

/**
 * Scenario pieces for the fault matrix: a site with outsourced issues, and a stream of
 * distinct changes to them (a create, updates, comments) whose times increase, so none is
 * stale unless a test makes it so.
 */

export interface SiteIssue {
  readonly id: string;
  readonly key: string;
  readonly issue: Record<string, unknown>;
}

const BASE_TIME = 1_796_119_200_000;

export function outsourcedIssues(count: number, options: { comments?: number } = {}): SiteIssue[] {
  return Array.from({ length: count }, (_, index) => {
    const id = String(20_000 + index);
    const key = `KAN-${500 + index}`;
    const comments = Array.from({ length: options.comments ?? 0 }, (__, n) =>
      makeComment({
        id: `${id}${n}`,
        issueId: id,
        created: `2026-12-01T09:${String(21 + n).padStart(2, '0')}:00.000+0000`,
      }),
    );
    return { id, key, issue: makeIssue({ id, key, comments }) };
  });
}

export function jiraStep(issues: readonly SiteIssue[]) {
  return { jira: { issues: Object.fromEntries(issues.map(({ id, issue }) => [id, issue])) } };
}

/**
 * `perIssue` changes of each issue, interleaved across issues as a busy site sends them: first
 * the creates, then round after round of updates (and comments, if the issues have them).
 */
export function changeEvents(issues: readonly SiteIssue[], perIssue: number): unknown[] {
  const events: unknown[] = [];
  for (let round = 0; round < perIssue; round += 1) {
    for (const [index, { id, issue }] of issues.entries()) {
      const timestamp = String(BASE_TIME + (round * issues.length + index) * 1000);
      events.push(changeOf(issue, id, round, timestamp));
    }
  }
  return events.map((event) => ({ event }));
}

function changeOf(issue: Record<string, unknown>, id: string, round: number, timestamp: string) {
  if (round === 0) return makeEvent('avi:jira:created:issue', issue, { timestamp });

  const comments = (issue.fields as { comment: { comments: ReturnType<typeof makeComment>[] } })
    .comment.comments;
  const comment = comments[round - 1];
  if (round % 2 === 0 && comment) {
    return { ...makeCommentEvent('avi:jira:commented:issue', issue, comment), timestamp };
  }
  return makeEvent('avi:jira:updated:issue', issue, {
    timestamp,
    changelog: assigneeChange(null, INTEGRATION, `${id}${String(round).padStart(3, '0')}`),
  });
}

export const hours = (count: number) => ({ advance: { seconds: count * 3600 } });
export const minutes = (count: number) => ({ advance: { seconds: count * 60 } });

/**
 * One issue's changes at chosen moments: `at(s)` is `s` seconds after a fixed time, `created`
 * its create at 0, `update(changelog, s)` an assignment change with that changelog id.
 */
export function changesOf(issue: Record<string, unknown>) {
  const at = (seconds: number) => String(BASE_TIME + seconds * 1000);
  return {
    at,
    created: makeEvent('avi:jira:created:issue', issue, { timestamp: at(0) }),
    update: (changelog: string, seconds: number) =>
      makeEvent('avi:jira:updated:issue', issue, {
        timestamp: at(seconds),
        changelog: assigneeChange(null, INTEGRATION, changelog),
      }),
  };
}
