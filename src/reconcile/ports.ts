import type { DeliveryQueue } from '../core/delivery-queue';
import type { IssueRecord } from '../core/issue-record';
import type { Logger } from '../core/logger';
import type { SettingsReader } from '../forwarding/ports';
import type { ProjectFlags } from '../settings/ports';
import type { ReconcileState } from './reconcile-state';

/**
 * What reconciliation needs from the outside world. The Forge adapters in `src/adapters/`
 * implement these; nothing in `src/reconcile/` imports `@forge/*`. Adapters throw
 * `RetriableError` for anything worth retrying (429, 5xx, network).
 */

/** An issue as `search/jql` answers it, cut down to what reconciliation reads. */
export interface SearchedIssue {
  readonly id: string;
  readonly key: string;
  /** Jira's `fields.updated`, as Jira wrote it. */
  readonly updated: string | undefined;
  readonly projectId: string;
  readonly projectKey: string | undefined;
  readonly assigneeAccountId: string | null;
  readonly labels: readonly string[];
}

export interface SearchPage {
  readonly issues: readonly SearchedIssue[];
  readonly nextPageToken: string | undefined;
}

export interface IssueSearch {
  /** One page of `POST /rest/api/3/search/jql`; throws `JqlRefusedError` on a 400. */
  search(jql: string, pageToken: string | undefined): Promise<SearchPage>;
  /** The time zone JQL dates are read in for the app (its user's profile), or UTC. */
  timeZone(): Promise<string>;
  /** Jira requests made so far by this adapter. */
  readonly requests: number;
}

export interface RecordPage {
  readonly records: readonly IssueRecord[];
  readonly cursor: string | undefined;
}

export interface RecordScan {
  /** The next `issue:` records in key order; unreadable ones are logged and left out. */
  page(cursor: string | undefined, limit: number): Promise<RecordPage>;
  get(issueId: string): Promise<IssueRecord | undefined>;
  /**
   * The issue's next change waiting to be delivered (numbered right after `settled`), and when
   * it is due: its next attempt, or when the invocation holding it runs out of time.
   */
  pendingChange(issueId: string, settled: number): Promise<{ dueAt: number } | undefined>;
}

export type LockResult = { readonly locked: true } | { readonly locked: false };

export interface ReconcileStateStore {
  /** The stored state; a value that does not fit its schema is logged and read as fresh. */
  load(): Promise<ReconcileState>;
  save(state: ReconcileState): Promise<void>;
  /** One run at a time: a lock key written only if absent, freed by `unlock` or its TTL. */
  lock(token: string): Promise<LockResult>;
  unlock(token: string): Promise<void>;
}

export interface ReconcileDeps {
  readonly settings: SettingsReader;
  readonly state: ReconcileStateStore;
  readonly records: RecordScan;
  readonly jira: IssueSearch;
  readonly queue: DeliveryQueue;
  /** The project flags the trigger filter reads; a full run repairs them first. */
  readonly flags: ProjectFlags;
  /** Milliseconds this invocation has left. */
  readonly remainingMs: () => number;
  readonly now: () => number;
  readonly newId: () => string;
  readonly log: Logger;
}
