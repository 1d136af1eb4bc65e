import * as z from 'zod';

import type { FieldIssue } from './errors';
import { toFieldIssues } from './zod-issues';

/**
 * The Forge Jira trigger events this app subscribes to, parsed once at the edge.
 * Payloads are thin and loosely typed (FORGE.md §2): ids may come as numbers, `timestamp` as a
 * string, users as `{accountId}` only. Everything else in the payload is kept but not trusted:
 * decisions are made from the issue as Jira has it now.
 */

/** The events `manifest.yml` subscribes the trigger to. */
export const SUBSCRIBED_EVENT_TYPES = [
  'avi:jira:created:issue',
  'avi:jira:updated:issue',
  'avi:jira:deleted:issue',
  'avi:jira:commented:issue',
  'avi:jira:deleted:comment',
] as const;

/**
 * The events the app handles: those subscribed, plus `assigned:issue`, which is no longer
 * subscribed (every assignment also sends `updated:issue`) but may still come from an earlier
 * version, kept in a pending change or a queue event.
 */
export const HANDLED_EVENT_TYPES = [...SUBSCRIBED_EVENT_TYPES, 'avi:jira:assigned:issue'] as const;

export type JiraEventType = (typeof HANDLED_EVENT_TYPES)[number];

const jiraId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .refine((id) => /^[0-9]{1,18}$/.test(id), { message: 'expected a numeric Jira id' });

const epochMillis = z
  .union([z.number(), z.string()])
  .transform((value) => (typeof value === 'number' ? value : parseTimestamp(value)))
  .refine((value) => Number.isSafeInteger(value) && value > 0, {
    message: 'expected whole epoch milliseconds or an ISO-8601 date',
  });

const user = z.looseObject({ accountId: z.string().min(1) });

const eventIssue = z.looseObject({
  id: jiraId,
  key: z.string().min(1).optional(),
  fields: z
    .looseObject({
      summary: z.string().optional(),
      updated: z.union([z.string(), z.number()]).optional(),
      project: z.looseObject({ id: jiraId, key: z.string().optional() }).optional(),
      assignee: user.nullable().optional(),
    })
    .optional(),
});

/**
 * A changelog value: Jira writes strings, but a number (an id, a story-point value) is text
 * too.
 */
const changelogValue = z.union([z.string(), z.number()]).transform(String).nullable().optional();

/**
 * A changelog item names a field `toString`, which every JavaScript object inherits. Items are
 * read from their own properties only, and come out with all four values present (`null` when
 * Jira left one out), as the admin webhook writes them.
 */
const changelogItem = z.preprocess(
  (value) =>
    isRecord(value) && !Array.isArray(value) ? Object.assign(Object.create(null), value) : value,
  z
    .looseObject({
      field: z.string(),
      fieldId: z.string().optional(),
      from: changelogValue,
      fromString: changelogValue,
      to: changelogValue,
      toString: changelogValue,
    })
    .transform((item) => ({
      ...item,
      from: item.from ?? null,
      fromString: item.fromString ?? null,
      to: item.to ?? null,
      toString: Object.hasOwn(item, 'toString') ? (item.toString ?? null) : null,
    })),
);

const changelog = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  items: z.array(changelogItem),
});

const eventComment = z.looseObject({
  id: jiraId,
  created: z.string().optional(),
  updated: z.string().optional(),
  author: user.optional(),
  body: z.unknown().optional(),
});

const retryContext = z.looseObject({
  retryCount: z.number().int().nonnegative(),
  retryReason: z.string().optional(),
  retryData: z.unknown().optional(),
});

const common = {
  timestamp: epochMillis.optional(),
  atlassianId: z.string().optional(),
  selfGenerated: z.boolean().optional(),
  retryContext: retryContext.optional(),
  issue: eventIssue,
};

const issueEvent = z.looseObject({
  ...common,
  eventType: z.enum([
    'avi:jira:created:issue',
    'avi:jira:updated:issue',
    'avi:jira:assigned:issue',
    'avi:jira:deleted:issue',
  ]),
  changelog: changelog.optional(),
  jiraEventTypeName: z.string().optional(),
});

const commentEvent = z.looseObject({
  ...common,
  eventType: z.enum(['avi:jira:commented:issue', 'avi:jira:deleted:comment']),
  comment: eventComment,
});

const jiraEventSchema = z.discriminatedUnion('eventType', [issueEvent, commentEvent]);

export type JiraEvent = z.infer<typeof jiraEventSchema>;
export type IssueEvent = z.infer<typeof issueEvent>;
export type CommentEvent = z.infer<typeof commentEvent>;
export type EventIssue = z.infer<typeof eventIssue>;
export type EventComment = z.infer<typeof eventComment>;
export type Changelog = z.infer<typeof changelog>;

export type ParsedEvent =
  | { ok: true; event: JiraEvent }
  | { ok: false; reason: 'unknown-event-type' | 'invalid-event'; issues: FieldIssue[] };

/** Parses what Forge handed the trigger. Never throws: bad input is a value to skip. */
export function parseJiraEvent(input: unknown): ParsedEvent {
  const eventType = readEventType(input);
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(eventType ?? '')) {
    const got = eventType === undefined ? 'none' : JSON.stringify(eventType).slice(0, 80);
    return {
      ok: false,
      reason: 'unknown-event-type',
      issues: [{ path: 'eventType', message: `expected a handled Jira event, got ${got}` }],
    };
  }

  if (nestedDeeperThan(input, MAX_DEPTH)) {
    const message = `expected an event nested at most ${MAX_DEPTH} levels deep`;
    return { ok: false, reason: 'invalid-event', issues: [{ path: '', message }] };
  }

  const parsed = jiraEventSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid-event', issues: toFieldIssues(parsed.error) };
  }

  return { ok: true, event: parsed.data };
}

export function isCommentEvent(event: JiraEvent): event is CommentEvent {
  return (
    event.eventType === 'avi:jira:commented:issue' || event.eventType === 'avi:jira:deleted:comment'
  );
}

/** The issue id of any event, when it has a readable one: for skip reports only. */
export function readIssueId(input: unknown): string | undefined {
  const issue = isRecord(input) ? input.issue : undefined;
  const id = isRecord(issue) ? issue.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 40) : undefined;
}

export function readEventType(input: unknown): string | undefined {
  const eventType = isRecord(input) ? input.eventType : undefined;
  return typeof eventType === 'string' ? eventType : undefined;
}

/** Jira's events are shallow; anything deeper is not an event and would not serialise safely. */
const MAX_DEPTH = 64;

function nestedDeeperThan(value: unknown, limit: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= limit) return true;

  for (const child of Object.values(value)) {
    if (nestedDeeperThan(child, limit, depth + 1)) return true;
  }
  return false;
}

function parseTimestamp(value: string): number {
  return /^[0-9]+$/.test(value) ? Number(value) : Date.parse(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
