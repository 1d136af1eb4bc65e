import * as z from 'zod';

/**
 * The body tasksource's receiver parses: Jira's admin-webhook payload. The same schema checks
 * the recorded captures in `test/fixtures/jira-webhooks/` and every body this app sends, so
 * the two cannot drift apart. Our own additions live under `tasksource` only. The schema
 * checks and does not copy (`z.object`): Jira's fields it does not name are the receiver's to
 * read, and the app sends the body it built, never zod's output.
 */

export const WEBHOOK_EVENTS = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * Built on first use, not on import: most events are ruled out before a body is built, and a
 * cold start should not pay for schemas its invocation never uses.
 */
function buildSchemas() {
  const user = z.object({
    self: z.string().optional(),
    accountId: z.string().min(1),
    displayName: z.string().optional(),
  });

  const issue = z.object({
    id: z.string().regex(/^[0-9]+$/),
    self: z.string(),
    key: z.string().min(1),
    fields: z.object({
      summary: z.string().optional(),
      project: z.object({ id: z.string(), key: z.string() }).optional(),
      assignee: user.nullable().optional(),
      labels: z.array(z.string()).optional(),
      description: z
        .string({ message: 'expected wiki markup (REST API v2), not ADF' })
        .nullable()
        .optional(),
    }),
  });

  const changelog = z.object({
    id: z.string().optional(),
    items: z.array(
      z.object({
        field: z.string(),
        fieldtype: z.string().optional(),
        fieldId: z.string().optional(),
        from: z.string().nullable(),
        fromString: z.string().nullable(),
        to: z.string().nullable(),
        toString: z.string().nullable(),
      }),
    ),
  });

  const comment = z.object({
    self: z.string(),
    id: z.string().regex(/^[0-9]+$/),
    author: user.optional(),
    body: z.string({ message: 'expected wiki markup (REST API v2), not ADF' }),
    updateAuthor: user.optional(),
    created: z.string(),
    updated: z.string(),
  });

  const tasksourceBlockSchema = z.strictObject({
    state: z.enum(['outsourced', 'released']),
    labels: z.array(z.string()),
    eventType: z.string(),
    cloudId: z.string(),
    siteUrl: z.string(),
    deliveryId: z.string().regex(/^[A-Za-z0-9_-]+$/),
    /** Increases by one with each change of the issue the app numbers, across releases. */
    sequence: z.number().int().positive(),
    issueId: z.string(),
    reason: z.string().optional(),
    /** Present when no Jira event reported the change: the hourly reconciliation found it. */
    reconciled: z.literal(true).optional(),
  });

  const COMMENT_EVENTS: readonly WebhookEvent[] = [
    'comment_created',
    'comment_updated',
    'comment_deleted',
  ];

  const webhookPayloadSchema = z
    .looseObject({
      timestamp: z.number().int().positive(),
      webhookEvent: z.enum(WEBHOOK_EVENTS),
      issue_event_type_name: z.string().optional(),
      user: user.optional(),
      issue,
      changelog: changelog.optional(),
      comment: comment.optional(),
      tasksource: tasksourceBlockSchema.optional(),
    })
    .refine((body) => !COMMENT_EVENTS.includes(body.webhookEvent) || body.comment !== undefined, {
      message: 'expected a comment on a comment event',
      path: ['comment'],
    });

  const outboundPayloadSchema = webhookPayloadSchema.refine(
    (body) => body.tasksource !== undefined,
    { message: 'expected the tasksource block', path: ['tasksource'] },
  );

  return { webhookPayloadSchema, outboundPayloadSchema, tasksourceBlockSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
const schemas = (): Schemas => (built ??= buildSchemas());

/** Jira's admin-webhook body, as the recorded captures have it. */
export const webhookPayloadSchema = z.lazy(() => schemas().webhookPayloadSchema);

/** What this app sends: the admin-webhook shape plus the `tasksource` block. */
export const outboundPayloadSchema = z.lazy(() => schemas().outboundPayloadSchema);

export type WebhookPayload = z.infer<Schemas['webhookPayloadSchema']>;
export type TasksourceBlock = z.infer<Schemas['tasksourceBlockSchema']>;
