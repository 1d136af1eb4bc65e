import * as z from 'zod';

/**
 * Issues and comments as Jira's REST API v2 returns them: the representation the admin
 * webhook sends, with `description` and comment `body` as wiki-markup strings. Only the fields
 * the rules read are checked; the rest is passed on to tasksource as Jira sent it.
 */

const user = z.object({ accountId: z.string().min(1) });

export const jiraIssueSchema = z.object({
  id: z.string().regex(/^[0-9]+$/),
  key: z.string().min(1),
  self: z.string().optional(),
  fields: z.object({
    project: z.object({ id: z.string().regex(/^[0-9]+$/), key: z.string().optional() }),
    assignee: user.nullable().optional(),
    labels: z.array(z.string()).optional(),
  }),
});

export const jiraCommentSchema = z.object({
  id: z.string().regex(/^[0-9]+$/),
  self: z.string().optional(),
  body: z.string({ message: 'expected a wiki-markup string (REST API v2)' }),
  created: z.string().optional(),
  updated: z.string().optional(),
});

/**
 * The schemas check; they do not copy. A checked issue is Jira's own object, every field the
 * schema does not name kept as Jira sent it (a copy of an issue's hundred fields per event was
 * most of the trigger's CPU time), so the types leave those fields open.
 */
type Open<T> = T & { readonly [field: string]: unknown };
type CheckedIssue = z.infer<typeof jiraIssueSchema>;
export type JiraIssue = Open<
  Omit<CheckedIssue, 'fields'> & { fields: Open<CheckedIssue['fields']> }
>;
export type JiraComment = Open<z.infer<typeof jiraCommentSchema>>;

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
