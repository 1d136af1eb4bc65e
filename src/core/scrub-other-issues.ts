/**
 * An outsourced issue's fields can name other issues: links, sub-tasks, the parent, and custom
 * fields holding issue objects. Those issues are not outsourced, so nothing about them may leave
 * Jira. The fields that exist to point at other issues are dropped; any other nested object
 * shaped like an issue (a `key` such as `HR-7` with `fields` or an issue `self` link) is removed
 * wherever it sits.
 */

/** Fields Jira uses to point at other issues. */
const FIELDS_NAMING_OTHER_ISSUES = new Set(['issuelinks', 'subtasks', 'parent']);

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[0-9]+$/;
const ISSUE_SELF = /\/rest\/api\/[0-9]+\/issue\/[^/]+$/;

export function scrubOtherIssues(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (FIELDS_NAMING_OTHER_ISSUES.has(name)) continue;

    const scrubbed = scrub(value, 0);
    if (scrubbed !== REMOVED) result[name] = scrubbed;
  }
  return result;
}

const REMOVED = Symbol('removed');

function scrub(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 32) return REMOVED;

  if (Array.isArray(value)) {
    return value.map((item) => scrub(item, depth + 1)).filter((item) => item !== REMOVED);
  }
  if (looksLikeAnIssue(value as Record<string, unknown>)) return REMOVED;

  const result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const scrubbed = scrub(item, depth + 1);
    if (scrubbed !== REMOVED) result[name] = scrubbed;
  }
  return result;
}

function looksLikeAnIssue(value: Record<string, unknown>): boolean {
  if (typeof value.key !== 'string' || !ISSUE_KEY.test(value.key)) return false;

  return 'fields' in value || (typeof value.self === 'string' && ISSUE_SELF.test(value.self));
}
