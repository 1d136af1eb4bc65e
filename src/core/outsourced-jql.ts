/**
 * The JQL for "issues outsourced from this project right now", as Jira would evaluate the
 * forwarding rules: the project, the integration account, any mapped label. Values are quoted
 * and escaped, so a label cannot change the query.
 */
export function outsourcedIssuesJql(input: {
  projectId: string;
  integrationAccountId: string;
  labels: readonly string[];
}): string {
  const labels = input.labels.map(quote).join(', ');
  return `project = ${quote(input.projectId)} AND assignee = ${quote(input.integrationAccountId)} AND labels in (${labels})`;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
