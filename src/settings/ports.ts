import type { DeliveryQueue } from '../core/delivery-queue';
import type { DeadLetter } from '../core/dead-letter';
import type { DeliveryLogEntry } from '../core/delivery-log';
import type { Logger } from '../core/logger';
import type { TasksourceSender } from '../forwarding/ports';
import type { ResendResult } from '../forwarding/resend-dead-letter';
import type { SettingsStore } from './settings-service';

/**
 * What the settings pages' use cases need. Permission checks run as the calling user
 * (`asUser()`); directory reads run as the app. The caller's identity comes from the resolver
 * context the platform sets, never from the page.
 */

export type JiraPermission = 'ADMINISTER' | 'ADMINISTER_PROJECTS';

export interface PermissionChecker {
  /** Whether the calling user holds the permission (on the project, when given). */
  has(permission: JiraPermission, projectId?: string): Promise<boolean>;
}

export interface JiraUser {
  readonly accountId: string;
  readonly displayName: string;
}

export interface JiraProject {
  readonly id: string;
  readonly key: string;
  readonly name: string;
}

export interface JiraDirectory {
  getUser(accountId: string): Promise<JiraUser | undefined>;
  searchUsers(query: string): Promise<JiraUser[]>;
  isAssignable(projectKey: string, accountId: string): Promise<boolean>;
  listLabels(startAt: number, maxResults: number): Promise<{ values: string[]; isLast: boolean }>;
  countIssues(jql: string): Promise<number>;
  getProjects(ids: readonly string[]): Promise<JiraProject[]>;
}

/** The delivery log and the dead letters, read for the pages, and an admin's Resend. */
export interface DeliveryRecords {
  /** A project's newest log entries first; `none` holds those of no project. */
  listLog(projectId: string, limit: number): Promise<DeliveryLogEntry[]>;
  /** Newest first. */
  listDeadLetters(): Promise<DeadLetter[]>;
  /** Puts the dead letter back on the delivery path under its own delivery id. */
  resend(deliveryId: string): Promise<ResendResult>;
}

export interface AppIdentity {
  readonly appId: string;
  readonly environmentId: string;
}

/**
 * The project flag (`core/project-flag.ts`) in Jira, as the app. Both throw `RetriableError`
 * when Jira is busy or not answering, and another error when Jira refuses.
 */
export interface ProjectFlags {
  /** The property's value; undefined when the project has none. */
  read(projectId: string): Promise<unknown>;
  /** Writes `PROJECT_FLAG`. */
  write(projectId: string): Promise<void>;
}

export interface PageDeps {
  readonly store: SettingsStore;
  /** The project flag that lets Jira send the project's events to the app. */
  readonly flags: ProjectFlags;
  readonly permissions: PermissionChecker;
  readonly directory: JiraDirectory;
  readonly tasksource: TasksourceSender;
  /** The app's queue: a project's first reconciliation run is asked for through it. */
  readonly queue: DeliveryQueue;
  readonly deliveries: DeliveryRecords;
  /** Origins the manifest lets the app send to (`permissions.external.fetch.backend`). */
  readonly allowedOrigins: readonly string[];
  readonly site: { readonly cloudId: string; readonly siteUrl: string };
  readonly app: AppIdentity;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly log: Logger;
}
