import type { LocalJira } from './local-jira';

/**
 * `event.runtime` as a trigger filter expression sees it (FORGE.md §4): the project the event
 * came from, with its entity properties as the local Jira holds them now (Forge's may be
 * seconds stale). The project is the one the payload names (`issue.fields.project.id`), else
 * that of the issue in the local Jira. When neither says, `runtime` has no `project`, and an
 * expression reading it fails, leaving the event to the filter's `onError`. Only the project
 * is emulated: `issue`, `user` and `issuetype` properties are absent here.
 */
export function eventRuntime(event: unknown, jira: LocalJira): Record<string, unknown> {
  const projectId = eventProjectId(event, jira);
  if (projectId === undefined) return {};

  const key = jira.directory.project(projectId)?.key;
  return {
    project: {
      id: projectId,
      ...(key === undefined ? {} : { key }),
      properties: jira.projectProperties.all(projectId),
    },
  };
}

export function eventProjectId(event: unknown, jira: LocalJira): string | undefined {
  const issue = (event as { issue?: unknown } | null)?.issue as
    { id?: unknown; fields?: { project?: { id?: unknown } } } | null | undefined;
  const named = idText(issue?.fields?.project?.id);
  if (named !== undefined) return named;

  const issueId = idText(issue?.id);
  const stored = issueId === undefined ? undefined : jira.issue(issueId);
  const fields = stored?.fields as { project?: { id?: unknown } } | undefined;
  return idText(fields?.project?.id);
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return typeof value === 'string' && /^[0-9]{1,18}$/.test(value) ? value : undefined;
}
