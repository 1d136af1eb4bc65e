import { createHmac, timingSafeEqual } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

/**
 * How a receiver checks our deliveries, written independently of the app's signer: Jira's
 * `x-hub-signature` with Node's crypto, Standard Webhooks with the reference `standardwebhooks`
 * library (which also rejects timestamps more than 5 minutes off). Comparisons are
 * constant-time with the length checked first.
 */

export interface SignatureCheck {
  readonly hub: boolean;
  readonly standard: boolean;
}

export function verifySignatures(
  secret: string | undefined,
  raw: string,
  headers: Record<string, string>,
): SignatureCheck {
  if (!secret) return { hub: false, standard: false };

  return {
    hub: verifyHubSignature(secret, raw, headers['x-hub-signature']),
    standard: verifyStandard(secret, raw, headers),
  };
}

function verifyHubSignature(secret: string, raw: string, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;

  const expected = Buffer.from(createHmac('sha256', secret).update(raw, 'utf8').digest('hex'));
  const given = Buffer.from(header.slice('sha256='.length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function verifyStandard(secret: string, raw: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(raw, headers);
    return true;
  } catch {
    return false;
  }
}
