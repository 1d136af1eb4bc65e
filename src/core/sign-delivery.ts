import { createHmac } from 'node:crypto';

/**
 * Signatures on every delivery when a signing secret is set, in two dialects so a receiver can
 * verify with either Jira's or the Standard Webhooks (standardwebhooks.com) convention.
 * Both sign the exact body string that is sent; it is never re-serialised after signing.
 */

/**
 * Jira admin webhooks: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the secret
 * exactly as configured (the whole `whsec_…` string, as Jira uses what the admin pasted).
 */
export function signJiraStyle(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Standard Webhooks: `v1,` and the base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed
 * with the base64-decoded part of the secret after `whsec_`.
 */
export function signStandardWebhook(input: {
  secret: string;
  id: string;
  timestampSeconds: number;
  body: string;
}): string {
  const key = Buffer.from(input.secret.replace(/^whsec_/, ''), 'base64');
  // Fed in parts: the signed content is the same bytes, without copying the body into a new
  // string first.
  const hmac = createHmac('sha256', key).update(`${input.id}.${input.timestampSeconds}.`, 'utf8');
  return `v1,${hmac.update(input.body, 'utf8').digest('base64')}`;
}
