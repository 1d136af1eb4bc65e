import type { IssueRecord } from '../core/issue-record';
import type { StoredSettings } from '../core/settings';
import { currentRecord, isMissed, recordsToRelease } from './compare-records';
import { JqlRefusedError } from './errors';
import type { ReconcileDeps, SearchedIssue } from './ports';
import { changedIssuesJql, reconcilableProjects, stillOutsourcedJql } from './reconcile-jql';
import type { ReconcileRun } from './reconcile-state';
import type { SyntheticEvent } from './synthetic-event';
import { missedChangeEvent, releaseCheckEvent } from './synthetic-event';

/**
 * One step of a run: one page of records checked for releases, or one page of one project's
 * changed issues checked for changes tasksource missed. A step returns the run moved on past
 * what it covered; the caller queues the events, then saves the run.
 */

/** Records per release check: one `id in (…)` search each. */
export const RECORD_PAGE_SIZE = 50;

export interface StepContext {
  readonly settings: StoredSettings;
  readonly connectionId: string;
  readonly integrationAccountId: string;
  /** True for the first step of an invocation: only then may a stored page token be stale. */
  readonly firstStep: boolean;
  readonly deps: ReconcileDeps;
}

export interface StepResult {
  readonly run: ReconcileRun;
  /** Issues looked at: search results and recorded issues checked. */
  readonly checked: number;
  readonly missed: readonly SyntheticEvent[];
  readonly releases: readonly SyntheticEvent[];
  /** Issues whose waiting change is long overdue: nothing is left in the queue to wake it. */
  readonly stuck?: readonly string[];
}

/** How late a waiting change may be before reconciliation wakes its issue itself. */
const OVERDUE_MS = 10 * 60_000;

export function isFinished(run: ReconcileRun): boolean {
  return run.phase === 'changes' && run.projectIndex >= run.projects.length;
}

export function runStep(run: ReconcileRun, context: StepContext): Promise<StepResult> {
  return run.phase === 'releases' ? releaseStep(run, context) : changesStep(run, context);
}

async function releaseStep(run: ReconcileRun, context: StepContext): Promise<StepResult> {
  const { deps, connectionId } = context;

  const page = await deps.records.page(run.recordCursor, RECORD_PAGE_SIZE);
  const candidates = page.records.filter((record) => currentRecord(record, connectionId));

  const still = candidates.length === 0 ? [] : await stillOutsourced(candidates, context);
  const releases = recordsToRelease(candidates, still, context.settings).map(releaseCheckEvent);

  const next: ReconcileRun = page.cursor
    ? { ...run, recordCursor: page.cursor }
    : { ...withoutCursor(run), phase: 'changes', projectIndex: 0 };
  return { run: next, checked: candidates.length, missed: [], releases };
}

/**
 * Which of the records' issues Jira lists as outsourced. Jira may refuse a search naming an
 * issue that no longer exists (400); the batch is then halved until the refused id stands
 * alone, and that issue counts as gone. Its event lets the pipeline ask Jira once more.
 */
async function stillOutsourced(
  records: readonly IssueRecord[],
  context: StepContext,
): Promise<SearchedIssue[]> {
  const projects = reconcilableProjects(context.settings);
  if (projects.length === 0) return [];

  const issueIds = records.map((record) => record.issueId);
  const jql = stillOutsourcedJql({
    issueIds,
    projects,
    integrationAccountId: context.integrationAccountId,
  });
  try {
    return await searchAll(jql, context);
  } catch (error) {
    if (!(error instanceof JqlRefusedError)) throw error;

    context.deps.log.warn('Jira refused an id search; splitting it', {
      issues: issueIds.length,
      jira: error.jiraMessages,
    });
    if (records.length === 1) return [];
    const half = Math.ceil(records.length / 2);
    const first = await stillOutsourced(records.slice(0, half), context);
    return [...first, ...(await stillOutsourced(records.slice(half), context))];
  }
}

/** Every page of a search that fits a few pages (at most 50 ids). */
async function searchAll(jql: string, context: StepContext): Promise<SearchedIssue[]> {
  const found: SearchedIssue[] = [];
  let token: string | undefined;
  do {
    const page = await context.deps.jira.search(jql, token);
    found.push(...page.issues);
    token = page.nextPageToken;
  } while (token);
  return found;
}

async function changesStep(run: ReconcileRun, context: StepContext): Promise<StepResult> {
  const { deps, settings, connectionId } = context;
  const window = run.projects[run.projectIndex];
  const project = reconcilableProjects(settings).find(({ id }) => id === window?.id);
  if (!window || !project) {
    deps.log.info('Skipping a project that no longer outsources', { projectId: window?.id });
    return { run: nextProject(run), checked: 0, missed: [], releases: [] };
  }

  const jql = changedIssuesJql({
    project,
    integrationAccountId: context.integrationAccountId,
    since: window.since,
    until: run.until,
    timeZone: run.timeZone,
  });
  const page = await searchPage(jql, run, context);
  if (!page) return { run: withoutToken(run), checked: 0, missed: [], releases: [] };

  const records = await Promise.all(page.issues.map((issue) => deps.records.get(issue.id)));
  const candidates = page.issues.filter((issue, index) =>
    isMissed(issue, currentRecord(records[index], connectionId), settings),
  );
  // A change still waiting in the queue (tasksource down, say) is not missed: it is on its way,
  // unless it is long overdue (whoever held it died, or its queue events ran out): then the
  // issue's queue is woken again.
  const waiting = await Promise.all(
    candidates.map((issue) =>
      deps.records.pendingChange(issue.id, records[page.issues.indexOf(issue)]?.sequence ?? 0),
    ),
  );
  const missed = candidates.filter((_, index) => !waiting[index]).map(missedChangeEvent);
  const stuck = candidates
    .filter((_, index) => (waiting[index]?.dueAt ?? Infinity) < deps.now() - OVERDUE_MS)
    .map((issue) => issue.id);

  const next = page.nextPageToken ? { ...run, pageToken: page.nextPageToken } : nextProject(run);
  return { run: next, checked: page.issues.length, missed, releases: [], stuck };
}

/**
 * A page token saved by an earlier invocation may have expired; the project is then searched
 * again from its first page (undefined here). A token refused within one invocation is a bug.
 */
async function searchPage(jql: string, run: ReconcileRun, context: StepContext) {
  try {
    return await context.deps.jira.search(jql, run.pageToken);
  } catch (error) {
    if (!(error instanceof JqlRefusedError) || !run.pageToken || !context.firstStep) throw error;

    context.deps.log.warn('Jira refused a saved page token; searching the project again', {
      projectId: run.projects[run.projectIndex]?.id,
    });
    return undefined;
  }
}

function nextProject(run: ReconcileRun): ReconcileRun {
  return { ...withoutToken(run), projectIndex: run.projectIndex + 1 };
}

function withoutToken(run: ReconcileRun): ReconcileRun {
  const { pageToken: _pageToken, ...rest } = run;
  return rest;
}

function withoutCursor(run: ReconcileRun): ReconcileRun {
  const { recordCursor: _recordCursor, ...rest } = run;
  return rest;
}
