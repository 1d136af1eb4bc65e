/**
 * An outsourced issue's fields can name other issues: links, sub-tasks, the parent, and custom
 * fields holding issue objects. Those issues are not outsourced, so nothing about them may leave
 * Jira. The fields that exist to point at other issues are dropped; any other nested object
 * shaped like an issue (a `key` such as `HR-7` with `fields`, a `summary` or an issue `self`
 * link) is removed wherever it sits; so are changelog items recording a link, parent or child.
 *
 * Nothing is copied that need not be: a value with no issue in it is passed on as Jira's own
 * object, and only the objects and arrays on the way to a removed issue are copied. Most fields
 * hold no issue at all, and copying every field of every forwarded issue cost more CPU than
 * everything else the trigger does.
 */

/** Fields Jira uses to point at other issues. */
const FIELDS_NAMING_OTHER_ISSUES = new Set(['issuelinks', 'subtasks', 'parent']);

/**
 * Changelog items that say which other issue was linked, made the parent or a child: their
 * `from`/`to` values name it (`HR-7`, "This issue relates to HR-7"). By field name, lower case,
 * as Jira writes them (`Link`, `Parent`, `Epic Link`…), or by field id.
 */
const CHANGES_NAMING_OTHER_ISSUES = new Set([
  'link',
  'parent',
  'parent link',
  'issueparentassociation',
  'epic link',
  'epic child',
  'sub-tasks',
  'subtasks',
  'issuelinks',
]);

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[0-9]+$/;
/** An issue's own link, in the REST or the Agile API (`/rest/agile/1.0/issue/10099`). */
const ISSUE_SELF = /\/rest\/(api|agile)\/[0-9.]+\/issue\/[^/]+$/;

/** Whether a changelog item records a change naming another issue. */
export function namesOtherIssues(item: { field: string; fieldId?: string | undefined }): boolean {
  return (
    CHANGES_NAMING_OTHER_ISSUES.has(item.field.toLowerCase()) ||
    CHANGES_NAMING_OTHER_ISSUES.has((item.fieldId ?? '').toLowerCase())
  );
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * `fields` without other issues, and without the fields named in `leaveOut`. A removed field
 * is left `undefined`, which `JSON.stringify` leaves out of the body: the copy is then made in
 * one step and keeps the layout of Jira's object. Built up key by key, a copy of an issue's
 * sixty-odd fields became a slow hash table that cost the serialising after it more than the
 * scrubbing itself.
 */
export function scrubOtherIssues(
  fields: Record<string, unknown>,
  leaveOut: ReadonlySet<string> = NOTHING,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...fields };
  for (const name of Object.keys(fields)) {
    if (FIELDS_NAMING_OTHER_ISSUES.has(name) || leaveOut.has(name)) {
      result[name] = undefined;
      continue;
    }

    const value = fields[name];
    const scrubbed = scrub(value, 0);
    if (scrubbed !== value) result[name] = scrubbed === REMOVED ? undefined : scrubbed;
  }
  return result;
}

const REMOVED = Symbol('removed');
const MAX_DEPTH = 32;

function scrub(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return REMOVED;

  if (Array.isArray(value)) return scrubArray(value, depth);
  if (looksLikeAnIssue(value as Record<string, unknown>)) return REMOVED;
  return scrubObject(value as Record<string, unknown>, depth);
}

/** The array itself when no item changes; otherwise a copy from the first item that does. */
function scrubArray(items: readonly unknown[], depth: number): unknown {
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const scrubbed = scrub(item, depth + 1);
    if (!copy && scrubbed === item) continue;

    copy ??= items.slice(0, index);
    if (scrubbed !== REMOVED) copy.push(scrubbed);
  }
  return copy ?? items;
}

/** The object itself when no value changes; otherwise a copy from the first value that does. */
function scrubObject(object: Record<string, unknown>, depth: number): unknown {
  const names = Object.keys(object);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    const item = object[name];
    const scrubbed = scrub(item, depth + 1);
    if (!copy && scrubbed === item) continue;

    copy ??= copyOf(object, names.slice(0, index));
    if (scrubbed !== REMOVED) copy[name] = scrubbed;
  }
  return copy ?? object;
}

function copyOf(object: Record<string, unknown>, names: readonly string[]) {
  const copy: Record<string, unknown> = {};
  for (const name of names) copy[name] = object[name];
  return copy;
}

/**
 * An issue key with what only an issue carries next to it: its fields, its summary (as in the
 * Parent Link field's `data`), or its own link.
 */
function looksLikeAnIssue(value: Record<string, unknown>): boolean {
  if (typeof value.key !== 'string' || !ISSUE_KEY.test(value.key)) return false;

  return (
    'fields' in value ||
    'summary' in value ||
    (typeof value.self === 'string' && ISSUE_SELF.test(value.self))
  );
}
