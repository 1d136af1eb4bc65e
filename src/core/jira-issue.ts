import * as z from 'zod';

/**
 * Issues and comments as Jira's REST API v2 returns them: the representation the admin
 * webhook sends, with `description` and comment `body` as wiki-markup strings. Only the fields
 * the rules read are checked; the rest is passed on to tasksource as Jira sent it.
 */

const user = z.looseObject({ accountId: z.string().min(1) });

export const jiraIssueSchema = z.looseObject({
  id: z.string().regex(/^[0-9]+$/),
  key: z.string().min(1),
  self: z.string().optional(),
  fields: z.looseObject({
    project: z.looseObject({ id: z.string().regex(/^[0-9]+$/), key: z.string().optional() }),
    assignee: user.nullable().optional(),
    labels: z.array(z.string()).optional(),
  }),
});

export const jiraCommentSchema = z.looseObject({
  id: z.string().regex(/^[0-9]+$/),
  self: z.string().optional(),
  body: z.string({ message: 'expected a wiki-markup string (REST API v2)' }),
  created: z.string().optional(),
  updated: z.string().optional(),
});

export type JiraIssue = z.infer<typeof jiraIssueSchema>;
export type JiraComment = z.infer<typeof jiraCommentSchema>;

/** The three facts the forwarding rules decide on. */
export interface IssueFacts {
  readonly projectId: string;
  readonly assigneeAccountId: string | null;
  readonly labels: readonly string[];
}

export function issueFacts(issue: JiraIssue): IssueFacts {
  return {
    projectId: issue.fields.project.id,
    assigneeAccountId: issue.fields.assignee?.accountId ?? null,
    labels: issue.fields.labels ?? [],
  };
}
