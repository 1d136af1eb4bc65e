import type { DeliveryRequest } from '../core/build-delivery-request';
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
}

export type ClaimResult =
  { readonly claimed: true } | { readonly claimed: false; readonly holder: string };

export interface IssueRecords {
  get(issueId: string): Promise<IssueRecord | undefined>;
  put(record: IssueRecord): Promise<void>;
  remove(issueId: string): Promise<void>;
  /** Marks a delivery as being made by `token`; says who holds it when someone already does. */
  claim(deliveryId: string, token: string): Promise<ClaimResult>;
}

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
  readonly jira: JiraReader;
  readonly tasksource: TasksourceSender;
  readonly installation: Installation;
  readonly now: () => number;
  readonly log: Logger;
}
