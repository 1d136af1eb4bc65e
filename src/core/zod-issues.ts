import type * as z from 'zod';

import type { FieldIssue } from './errors';

/** zod's issues as `{path, message}` pairs with dotted paths, for logs and form fields. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** One line naming every bad field, e.g. `issue.id: expected a Jira id, got "abc"`. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}
