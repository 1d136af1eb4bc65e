import {
  ALEX,
  assigneeChange,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
  OTHER_PROJECT,
} from '../test/support/builders';

/**
 * The events the benchmark sends, by class. Each generator gives the n-th event of its class,
 * every one a distinct change, so nothing is a duplicate unless the class says so.
 */

export const CLASSES = [
  'unconfigured-project',
  'not-outsourced',
  'forwarded-issue',
  'forwarded-comment',
  'released',
  'duplicate',
] as const;

export type EventClass = (typeof CLASSES)[number];

const BASE_TIME = 1_796_119_200_000;

export function issueId(n: number): string {
  return String(100_000 + n);
}

export function outsourcedIssue(n: number, comments = 0): Record<string, unknown> {
  const id = issueId(n);
  return makeIssue({
    id,
    key: `KAN-${n}`,
    comments: Array.from({ length: comments }, (_, c) =>
      makeComment({ id: `${id}${c}`, issueId: id }),
    ),
  });
}

/** An issue in a project nobody configured, and one assigned to a person. */
export const strangers = {
  unconfigured: makeIssue({ id: '90001', key: 'OPS-1', projectId: OTHER_PROJECT }),
  someoneElses: makeIssue({ id: '90002', key: 'KAN-9002', assignee: ALEX }),
};

export function updateOf(issue: Record<string, unknown>, n: number): Record<string, unknown> {
  return makeEvent('avi:jira:updated:issue', issue, {
    timestamp: String(BASE_TIME + n * 1000),
    changelog: assigneeChange(null, INTEGRATION, String(1_000_000 + n)),
  });
}

export function commentOf(issue: Record<string, unknown>, n: number): Record<string, unknown> {
  const id = String(issue.id);
  const comment = makeComment({
    id: `${id}0`,
    issueId: id,
    updated: new Date(BASE_TIME + n * 1000).toISOString().replace('Z', '+0000'),
  });
  return {
    ...makeCommentEvent('avi:jira:commented:issue', issue, comment),
    timestamp: String(BASE_TIME + n * 1000),
  };
}

export function releaseOf(issue: Record<string, unknown>, n: number): Record<string, unknown> {
  return makeEvent(
    'avi:jira:updated:issue',
    { ...issue, fields: { ...(issue.fields as object), assignee: null } },
    {
      timestamp: String(BASE_TIME + n * 1000),
      changelog: assigneeChange(INTEGRATION, null, String(2_000_000 + n)),
    },
  );
}
