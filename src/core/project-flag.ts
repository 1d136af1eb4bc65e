import type { ProjectSettings } from './settings';

/**
 * The project flag: a Jira project entity property that says the app has settings for the
 * project, so the trigger's `filter.expression` in `manifest.yml` can drop events from every
 * other project before the app is invoked. It is only a flag: project admins and other apps can
 * read and change entity properties, so labels, accounts and secrets never go in it. A project
 * whose forwarding is switched off keeps its flag: its outsourced issues still need their
 * release. Settings are never removed from a project once saved, so neither is the flag.
 */

/** The property key; the manifest's expression names it too (`test/trigger-filter.test.ts`). */
export const PROJECT_FLAG_KEY = 'tasksource-for-jira';

export interface ProjectFlag {
  readonly configured: true;
}

/** What the property holds for every project with settings. */
export const PROJECT_FLAG: ProjectFlag = { configured: true };

/**
 * What the flag of a project says, as Jira answered: `set` lets its events through, `missing`
 * (no property, or a value the filter does not read as configured) drops them.
 */
export type FlagState = 'set' | 'missing';

export function flagStateOf(stored: unknown): FlagState {
  const configured = (stored as { configured?: unknown } | null | undefined)?.configured;
  return isPlainObject(stored) && configured === true ? 'set' : 'missing';
}

/**
 * Whether the flag must be written: a project with settings whose flag is not set. A project
 * without settings is never written to (the app has no business in it).
 */
export function needsFlag(project: ProjectSettings | undefined, stored: FlagState): boolean {
  return project !== undefined && stored !== 'set';
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
