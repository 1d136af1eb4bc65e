import { USER_AGENT } from './app-info';
import { signJiraStyle, signStandardWebhook } from './sign-delivery';

/**
 * The headers of one delivery attempt. The delivery id is the same on every attempt (the
 * receiver's idempotency key); the retry count and the Standard Webhooks timestamp are this
 * attempt's own.
 */

export interface DeliveryRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export function buildDeliveryRequest(input: {
  body: string;
  deliveryId: string;
  /** 0 for the first attempt, then Forge's retry count. */
  retry: number;
  nowMillis: number;
  signingSecret: string | undefined;
}): DeliveryRequest {
  const { body, deliveryId, retry, nowMillis, signingSecret } = input;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': USER_AGENT,
    'x-atlassian-webhook-identifier': deliveryId,
    'x-atlassian-webhook-retry': String(retry),
  };
  if (!signingSecret) return { body, headers };

  const timestampSeconds = Math.floor(nowMillis / 1000);
  headers['x-hub-signature'] = signJiraStyle(signingSecret, body);
  headers['webhook-id'] = deliveryId;
  headers['webhook-timestamp'] = String(timestampSeconds);
  headers['webhook-signature'] = signStandardWebhook({
    secret: signingSecret,
    id: deliveryId,
    timestampSeconds,
    body,
  });
  return { body, headers };
}
