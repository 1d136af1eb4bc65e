import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { outboundPayloadSchema, webhookPayloadSchema } from '../src/core/webhook-payload';

/**
 * The real admin-webhook captures and our outbound bodies are checked by one schema: what
 * tasksource's receiver parses today is what the app must send.
 */

const DIR = join(__dirname, 'fixtures', 'jira-webhooks');
const captures = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .map(
    (name) =>
      [name, JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Record<string, any>] as const,
  );

describe('the admin-webhook payload schema', () => {
  it('has all three captures to check against', () => {
    expect(captures.map(([name]) => name).sort()).toEqual([
      'webhook-cloud-comment_created.json',
      'webhook-cloud-jira-issue_created.json',
      'webhook-cloud-jira-issue_updated-labels.json',
    ]);
  });

  it.each(captures)('accepts the capture %s', (_, capture) => {
    const parsed = webhookPayloadSchema.safeParse(capture);

    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it.each(captures)('rejects %s with an ADF description or comment body', (_, capture) => {
    const adf = { type: 'doc', version: 1, content: [] };
    const broken = structuredClone(capture);
    if (broken.comment) broken.comment.body = adf;
    else broken.issue.fields.description = adf;

    expect(webhookPayloadSchema.safeParse(broken).success).toBe(false);
  });

  it('rejects a comment event without its comment', () => {
    const [, capture] = captures.find(([name]) => name.includes('comment'))!;
    const { comment: _comment, ...withoutComment } = capture;

    expect(webhookPayloadSchema.safeParse(withoutComment).success).toBe(false);
  });

  it('rejects an unknown webhookEvent and a string timestamp', () => {
    const [, capture] = captures[0]!;

    expect(
      webhookPayloadSchema.safeParse({ ...capture, webhookEvent: 'jira:issue_viewed' }).success,
    ).toBe(false);
    expect(webhookPayloadSchema.safeParse({ ...capture, timestamp: '1550286678321' }).success).toBe(
      false,
    );
  });

  it('requires the tasksource block on what the app sends, and only there', () => {
    const [, capture] = captures[0]!;

    expect(outboundPayloadSchema.safeParse(capture).success).toBe(false);
  });
});
