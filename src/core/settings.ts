import * as z from 'zod';

/**
 * What an admin configures, and how it is stored. One record in the KVS secret store holds it
 * all (`settings-store.ts`), so a trigger reads its whole configuration with one KVS read.
 */

/**
 * Characters nobody can see: controls, format characters (zero-width joiners, soft hyphens,
 * direction marks) and the Hangul and Braille blanks. A label holding one looks like another.
 */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u115F\u1160\u3164\uFFA0\u2800]/u;

const projectId = z.string().regex(/^[0-9]{1,18}$/, { message: 'expected a numeric project id' });

/**
 * The policies for what an admin types, built on first use, not on import: only the settings
 * pages and a save need them, and every trigger's cold start would pay for them otherwise.
 */
function buildPolicies() {
  /** Jira refuses labels that are empty, contain spaces, or exceed 255 characters. */
  const labelSchema = z
    .string()
    .min(1, { message: 'expected a label, got an empty string' })
    .max(255, { message: 'expected a label of at most 255 characters' })
    .refine((label) => !/\s/.test(label), {
      message: 'expected a label without spaces (Jira splits labels on spaces)',
    })
    .refine((label) => !INVISIBLE.test(label.replace(/\s/g, '')), {
      message: 'expected a label without invisible or control characters',
    });

  const projectSettingsSchema = z.strictObject({
    labels: z
      .array(labelSchema)
      .max(50, { message: 'expected at most 50 labels' })
      .refine((labels) => new Set(labels).size === labels.length, {
        message: 'expected each label once',
      }),
    enabled: z.boolean().default(true),
  });

  const httpsUrl = z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) {
        ctx.addIssue({ code: 'custom', message: 'expected a URL' });
        return;
      }

      const url = new URL(value);
      if (url.protocol !== 'https:') {
        ctx.addIssue({
          code: 'custom',
          message: 'expected an https:// URL (tasksource accepts no plain http)',
        });
      }
      if (url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'expected a URL without user name or password' });
      }
    });

  /** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
  const signingSecretSchema = z
    .string()
    .trim()
    .refine((value) => value.startsWith('whsec_'), { message: 'expected a secret starting whsec_' })
    .refine(
      (value) => {
        const key = value.slice('whsec_'.length);
        const bytes = Buffer.from(key, 'base64');
        return /^[A-Za-z0-9+/]+={0,2}$/.test(key) && bytes.length >= 24 && bytes.length <= 64;
      },
      { message: 'expected whsec_ followed by base64 of 24 to 64 bytes' },
    );

  /**
   * The webhook URL as the URL parser writes it (lower-case host, no default port, no fragment),
   * so one endpoint typed two ways is one endpoint.
   */
  const webhookUrl = httpsUrl.transform((value) => {
    const url = new URL(value);
    url.hash = '';
    return url.toString();
  });

  const connectionSettingsSchema = z.strictObject({
    webhookUrl,
    integrationAccountId: z
      .string()
      .trim()
      .min(1, { message: 'expected the accountId of the tasksource integration account' })
      .max(128)
      .refine((value) => !value.includes('@'), {
        message: 'expected an accountId, not an e-mail address (Jira hides e-mails from apps)',
      }),
    signingSecret: signingSecretSchema.optional(),
    siteUrl: httpsUrl.optional(),
  });

  /**
   * A saved connection also carries `connectionId`, new whenever the webhook URL changes: issue
   * records remember it, so a switch to another tasksource company never sends the new company
   * releases of issues only the old one had.
   */
  const storedConnectionSchema = connectionSettingsSchema.extend({
    connectionId: z.string().min(1),
    /**
     * When tasksource answered 410 (it disabled this endpoint): nothing is sent from then on, and
     * changes go to dead letters, until an admin saves the connection again.
     */
    disabledAt: z.number().optional(),
  });

  const storedSettingsSchema = z.strictObject({
    version: z.literal(1),
    connection: storedConnectionSchema.optional(),
    projects: z.record(projectId, projectSettingsSchema),
  });

  return {
    labelSchema,
    projectSettingsSchema,
    signingSecretSchema,
    connectionSettingsSchema,
    storedConnectionSchema,
    storedSettingsSchema,
  };
}

type Policies = ReturnType<typeof buildPolicies>;
let built: Policies | undefined;
const policies = (): Policies => (built ??= buildPolicies());

/** Jira refuses labels that are empty, contain spaces, or exceed 255 characters. */
export const labelSchema = z.lazy(() => policies().labelSchema);
export const projectSettingsSchema = z.lazy(() => policies().projectSettingsSchema);
/** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
export const signingSecretSchema = z.lazy(() => policies().signingSecretSchema);
export const connectionSettingsSchema = z.lazy(() => policies().connectionSettingsSchema);
/** A saved connection: see `storedConnectionSchema` inside `buildPolicies`. */
export const storedConnectionSchema = z.lazy(() => policies().storedConnectionSchema);
export const storedSettingsSchema = z.lazy(() => policies().storedSettingsSchema);

/**
 * The settings as read back: their shape only. The policies above (URLs, secrets, labels) judge
 * what an admin types and ran when the settings were saved; every trigger reads the settings,
 * and re-running them there would be work done once per event for nothing.
 */
export const storedSettingsShape = z.strictObject({
  version: z.literal(1),
  connection: z
    .strictObject({
      webhookUrl: z.string().min(1),
      integrationAccountId: z.string().min(1),
      signingSecret: z.string().optional(),
      siteUrl: z.string().optional(),
      connectionId: z.string().min(1),
      disabledAt: z.number().optional(),
    })
    .optional(),
  projects: z.record(
    projectId,
    z.strictObject({ labels: z.array(z.string()), enabled: z.boolean().default(true) }),
  ),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
export type StoredConnection = z.infer<typeof storedConnectionSchema>;
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

export const EMPTY_SETTINGS: StoredSettings = { version: 1, projects: {} };

export { projectId as projectIdSchema };
