import type { DeliveryRequest } from '../core/build-delivery-request';
import type { DeadLetter } from '../core/dead-letter';
import type { DeliveryLogEntry, LogRowId } from '../core/delivery-log';
import type { PendingDelivery } from '../core/pending-delivery';
import type { DeliveryQueue } from '../core/delivery-queue';
import type { IssueRecord } from '../core/issue-record';
import type { JiraComment, JiraIssue } from '../core/jira-issue';
import type { Logger } from '../core/logger';
import type { StoredSettings } from '../core/settings';

/**
 * What the forwarding use case needs from the outside world. The Forge adapters in
 * `src/adapters/` implement these; nothing in `src/forwarding/` imports `@forge/*`.
 * Adapters throw `RetriableError` for anything worth retrying (429, 5xx, network).
 */

export interface SettingsReader {
  load(): Promise<StoredSettings>;
  /** Records that tasksource disabled the endpoint of `connectionId` (it answered 410). */
  markEndpointDisabled(connectionId: string, at: number): Promise<void>;
}

export type ClaimResult =
  { readonly claimed: true } | { readonly claimed: false; readonly holder: string };

export interface IssueRecords {
  get(issueId: string): Promise<IssueRecord | undefined>;
  /**
   * Writes the record. With `logged`, the delivery log entry of the change that moved it is
   * written in the same KVS transaction: both are stored or neither, in one write request.
   */
  put(record: IssueRecord, logged?: DeliveryLogEntry): Promise<void>;
}

export type Allocation =
  /** Numbered right after everything settled: this invocation delivers it now. */
  | { readonly kind: 'head'; readonly entry: PendingDelivery }
  /** Numbered behind changes still pending: it waits for its turn in the queue. */
  | { readonly kind: 'waiting'; readonly entry: PendingDelivery }
  /** This change already has a number (a redelivered event): its entry as stored. */
  | { readonly kind: 'existing'; readonly entry: PendingDelivery };

/** An issue has so many changes waiting that another would not be numbered. */
export class TooManyWaitingError extends Error {
  constructor(
    readonly issueId: string,
    readonly limit: number,
  ) {
    super(`[ordering] Issue ${issueId} has ${limit} changes waiting already`);
    this.name = 'TooManyWaitingError';
  }
}

export interface PendingDeliveries {
  /**
   * Numbers the change: the first free sequence after `settled`, taken with a conditional
   * write, so two changes racing for one number get two numbers. `draft` is the entry to store.
   * With `sendNow: false` even the head waits for the queue (`nextAttemptAt`).
   */
  allocate(
    settled: number,
    draft: Omit<PendingDelivery, 'sequence' | 'state'>,
    options?: { readonly sendNow?: boolean },
  ): Promise<Allocation>;
  get(issueId: string, sequence: number): Promise<PendingDelivery | undefined>;
  put(entry: PendingDelivery): Promise<void>;
}

export interface DeadLetters {
  add(letter: DeadLetter): Promise<void>;
  get(deliveryId: string): Promise<DeadLetter | undefined>;
  remove(deliveryId: string): Promise<void>;
  /** Newest first, at most `MAX_DEAD_LETTERS`. */
  list(): Promise<DeadLetter[]>;
}

export interface DeliveryLog {
  write(entry: DeliveryLogEntry): Promise<void>;
  /** Removes a row; a row that is not there (expired) is no error. */
  remove(row: LogRowId): Promise<void>;
  /** A project's newest entries first. */
  list(projectId: string, limit: number): Promise<DeliveryLogEntry[]>;
}

export type { DeliveryQueue } from '../core/delivery-queue';

export type JiraRead<T> =
  | { readonly kind: 'found'; readonly value: T }
  | { readonly kind: 'gone'; readonly status: number }
  | { readonly kind: 'unreadable'; readonly detail: string };

export interface JiraReader {
  readIssue(issueId: string): Promise<JiraRead<JiraIssue>>;
  readComment(issueId: string, commentId: string): Promise<JiraRead<JiraComment>>;
}

export interface DeliveryResponse {
  readonly status: number;
  header(name: string): string | null;
}

export interface TasksourceSender {
  send(url: string, request: DeliveryRequest): Promise<DeliveryResponse>;
}

export interface Installation {
  readonly installationId: string;
  readonly cloudId: string;
}

export interface ForwardingDeps {
  readonly settings: SettingsReader;
  readonly records: IssueRecords;
  readonly pending: PendingDeliveries;
  readonly deadLetters: DeadLetters;
  readonly deliveryLog: DeliveryLog;
  readonly queue: DeliveryQueue;
  /** Milliseconds this invocation has left before Forge stops it. */
  readonly timeLeftMs: () => number;
  readonly random: () => number;
  readonly jira: JiraReader;
  readonly tasksource: TasksourceSender;
  readonly installation: Installation;
  readonly now: () => number;
  readonly log: Logger;
}
