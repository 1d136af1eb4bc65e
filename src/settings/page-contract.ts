import { z } from 'zod';

import { labelSchema } from '../core/settings';
import type { ChecklistLine } from '../core/setup-checklist';

export type { ChecklistLine };

/**
 * What the settings pages and their resolvers say to each other: every resolver key, the
 * payload it accepts (checked with these schemas before anything else runs) and what it answers.
 * Every answer is `{ok: true, data}` or `{ok: false, error}`; errors carry a code the page can act
 * on and, for bad input, one message per field.
 */

export type ResolverAnswer<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

export interface ResolverError {
  /** `invalid-input`: fix the fields; `forbidden`: ask an admin; `unavailable`: try again. */
  readonly code: 'invalid-input' | 'forbidden' | 'unavailable' | 'not-connected' | 'internal';
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
  /** The saved URL with its credentials masked, e.g. `https://api.tasksource.io/jira?companyId=••••2f1c`. */
  readonly webhookUrlMasked: string | null;
  readonly integrationAccount: AccountView | null;
  /** Accounts that look like tasksource's integration account, for the admin to pick from. */
  readonly integrationAccountCandidates: readonly AccountView[];
  readonly signingSecretMasked: string | null;
  readonly projects: readonly ConfiguredProjectView[];
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

/** Resolver keys, by page. */
export const ADMIN_KEYS = ['admin/get', 'admin/save', 'admin/rotate-secret', 'admin/test'] as const;
export const PROJECT_KEYS = ['project/get', 'project/save', 'project/labels'] as const;
