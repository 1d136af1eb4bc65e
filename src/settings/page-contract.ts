import * as z from 'zod';

import type { DeadLetterReason } from '../core/dead-letter';
import type { DeliveryState } from '../core/delivery-log';
import { labelSchema } from '../core/settings';
import type { ChecklistLine } from '../core/setup-checklist';

export type { ChecklistLine, DeadLetterReason, DeliveryState };

/**
 * What the settings pages and their resolvers say to each other: every resolver key, the
 * payload it accepts (checked with these schemas before anything else runs) and what it answers.
 * Every answer is `{ok: true, data}` or `{ok: false, error}`; errors carry a code the page can act
 * on and, for bad input, one message per field.
 */

export type ResolverAnswer<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

export interface ResolverError {
  /**
   * `invalid-input`: fix the fields; `forbidden`: ask an admin; `unavailable`: try again;
   * `not-found`: what the page named is gone (a dead letter already resent, say).
   */
  readonly code:
    'invalid-input' | 'forbidden' | 'unavailable' | 'not-connected' | 'not-found' | 'internal';
  readonly message: string;
  /** Field name to message, for `invalid-input`. */
  readonly fields?: Readonly<Record<string, string>>;
  /** What the page may resend to go ahead anyway: `lookalike-labels` means `acceptLookalikes`. */
  readonly confirm?: 'lookalike-labels';
}

// ---- Jira administration page (module `admin`) ----

export const adminSavePayload = z.strictObject({
  /** Leave out (or empty) to keep the saved URL, which the page only ever shows masked. */
  webhookUrl: z.string().max(2000).optional(),
  /** Checked with the URL in one pass, so the page shows every problem at once. */
  integrationAccountId: z.string().max(128).optional(),
  /** A pasted `whsec_…` secret; `null` removes signing; left out keeps the current one. */
  signingSecret: z.string().max(200).nullable().optional(),
});

export const emptyPayload = z.strictObject({});

export interface AccountView {
  readonly accountId: string;
  readonly displayName: string;
}

export interface ConfiguredProjectView {
  readonly id: string;
  readonly key: string | null;
  readonly name: string | null;
  readonly labels: readonly string[];
  readonly enabled: boolean;
  /** The project's tasksource settings page. */
  readonly settingsUrl: string | null;
}

export interface AdminView {
  readonly canEdit: boolean;
  readonly connected: boolean;
  /**
   * The saved URL with its credentials masked, e.g.
   * `https://api.tasksource.io/jira?companyId=••••2f1c`.
   */
  readonly webhookUrlMasked: string | null;
  readonly integrationAccount: AccountView | null;
  /** Accounts that look like tasksource's integration account, for the admin to pick from. */
  readonly integrationAccountCandidates: readonly AccountView[];
  readonly signingSecretMasked: string | null;
  readonly projects: readonly ConfiguredProjectView[];
  /**
   * When tasksource answered 410 (ISO time): nothing is sent until the connection is saved
   * again, and changes are kept as dead letters meanwhile. Null while sending is on.
   */
  readonly endpointDisabledAt: string | null;
}

export interface RotatedSecret {
  /** Shown once, in full, to paste into tasksource; afterwards only the masked form exists. */
  readonly signingSecret: string;
  readonly signingSecretMasked: string;
}

export interface TestEventResult {
  readonly delivered: boolean;
  readonly status: number | null;
  readonly millis: number;
  /** One sentence for the admin, e.g. "tasksource answered 200 OK in 143 ms." */
  readonly message: string;
}

// ---- The delivery log, on both pages ----

/** A delivery id as the app makes them: `ts_` and 32 hex digits. */
export const resendPayload = z.strictObject({
  deliveryId: z.string().regex(/^ts_[0-9a-f]{32}$/, {
    message: 'expected a delivery id: ts_ followed by 32 hex digits',
  }),
});

/** One row of the delivery log. Issue keys, event names and our own sentences only. */
export interface DeliveryView {
  readonly deliveryId: string;
  /** When the entry last changed (ISO). */
  readonly time: string;
  readonly issueKey: string;
  /** The Jira event, e.g. `avi:jira:commented:issue`. */
  readonly eventType: string;
  /** The admin-webhook event sent, e.g. `comment_created`; null until a body was built. */
  readonly webhookEvent: string | null;
  readonly state: DeliveryState;
  /** tasksource's last HTTP status; null when it did not answer or nothing was sent. */
  readonly status: number | null;
  readonly attempts: number;
  readonly latencyMs: number | null;
  readonly error: string | null;
}

/** A change that will not be sent again unless someone resends it. */
export interface DeadLetterView extends DeliveryView {
  readonly state: 'dead-letter';
  readonly reason: DeadLetterReason;
  /** What the reason means and what to do about it, in one sentence. */
  readonly explanation: string;
  /** True when "Resend all" takes it: it failed for want of tasksource or Jira, not on itself. */
  readonly resentTogether: boolean;
}

export interface DeliveryList {
  /** Newest first, at most 100. */
  readonly deadLetters: readonly DeadLetterView[];
  /** How many dead letters there are in all (more than listed when over 100). */
  readonly deadLetterTotal: number;
  /** The last deliveries, newest first, at most 100. */
  readonly deliveries: readonly DeliveryView[];
}

export interface ResentLetter {
  readonly resent: true;
  readonly issueKey: string;
}

export interface ResentLetters {
  /** How many dead letters went back to the queue. */
  readonly resent: number;
  /** How many of reason `endpoint-disabled` are left for another call. */
  readonly remaining: number;
}

// ---- Project settings page (module `project-settings`) ----

export const projectSavePayload = z.strictObject({
  labels: z.array(labelSchema).max(50, { message: 'expected at most 50 labels' }),
  enabled: z.boolean(),
  /** Save labels that only look like existing ones (differ by case or look-alike characters). */
  acceptLookalikes: z.boolean().optional(),
});

export const labelSearchPayload = z.strictObject({
  query: z.string().max(255).optional(),
  startAt: z.number().int().nonnegative().optional(),
});

export interface ProjectView {
  readonly projectId: string;
  readonly projectKey: string | null;
  readonly canEdit: boolean;
  readonly labels: readonly string[];
  readonly enabled: boolean;
  readonly checklist: readonly ChecklistLine[];
}

export interface LabelPage {
  readonly labels: readonly string[];
  /** Pass as `startAt` for more; absent on the last page. */
  readonly nextStartAt?: number;
}

export type AdminSavePayload = z.infer<typeof adminSavePayload>;
export type ProjectSavePayload = z.infer<typeof projectSavePayload>;
export type ResendPayload = z.infer<typeof resendPayload>;

/** Resolver keys, by page. */
export const ADMIN_KEYS = [
  'admin/get',
  'admin/save',
  'admin/rotate-secret',
  'admin/test',
  'admin/deliveries',
  'admin/resend',
  'admin/resend-all',
] as const;
export const PROJECT_KEYS = [
  'project/get',
  'project/save',
  'project/labels',
  'project/deliveries',
] as const;
