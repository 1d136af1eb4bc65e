import { Webhook } from 'standardwebhooks';

import { APP_VERSION } from './app-info';
import { buildDeliveryRequest } from './build-delivery-request';
import { signJiraStyle } from './sign-delivery';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"webhookEvent":"jira:issue_updated","issue":{"id":"10001"}}';
const SIGNATURE_HEADERS = [
  'x-hub-signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
];

function makeInput(overrides: Partial<Parameters<typeof buildDeliveryRequest>[0]> = {}) {
  return {
    body: BODY,
    deliveryId: 'ts_0123456789abcdef0123456789abcdef',
    retry: 0,
    nowMillis: 1614265330123,
    signingSecret: SECRET,
    ...overrides,
  };
}

describe('buildDeliveryRequest', () => {
  it('sends the body exactly as given', () => {
    expect(buildDeliveryRequest(makeInput()).body).toBe(BODY);
  });

  it('always sends content type, user agent, delivery id and retry count', () => {
    const { headers } = buildDeliveryRequest(makeInput({ signingSecret: undefined }));

    expect(headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': expect.stringContaining(`tasksource-for-jira/${APP_VERSION}`),
      'x-atlassian-webhook-identifier': 'ts_0123456789abcdef0123456789abcdef',
      'x-atlassian-webhook-retry': '0',
    });
  });

  it.each([undefined, ''])('sends no signature headers when the secret is %p', (signingSecret) => {
    const { headers } = buildDeliveryRequest(makeInput({ signingSecret }));

    for (const name of SIGNATURE_HEADERS) expect(headers).not.toHaveProperty(name);
  });

  it('sends Jira-style and Standard Webhooks signature headers when a secret is set', () => {
    const { headers } = buildDeliveryRequest(makeInput());

    for (const name of SIGNATURE_HEADERS) expect(headers).toHaveProperty(name);
    expect(headers['x-hub-signature']).toBe(signJiraStyle(SECRET, BODY));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('uses the delivery id as both the Atlassian identifier and the webhook-id', () => {
    const { headers } = buildDeliveryRequest(makeInput());

    expect(headers['webhook-id']).toBe('ts_0123456789abcdef0123456789abcdef');
    expect(headers['x-atlassian-webhook-identifier']).toBe(headers['webhook-id']);
  });

  it('keeps the same ids on a retry and refreshes retry count, timestamp and signature', () => {
    const first = buildDeliveryRequest(makeInput()).headers;
    const retry = buildDeliveryRequest(makeInput({ retry: 2, nowMillis: 1614265630123 })).headers;

    expect(retry['x-atlassian-webhook-identifier']).toBe(first['x-atlassian-webhook-identifier']);
    expect(retry['webhook-id']).toBe(first['webhook-id']);
    expect(retry['x-atlassian-webhook-retry']).toBe('2');
    expect(retry['webhook-timestamp']).toBe('1614265630');
    expect(retry['webhook-signature']).not.toBe(first['webhook-signature']);
    expect(retry['x-hub-signature']).toBe(first['x-hub-signature']);
  });

  it('gives the Standard Webhooks timestamp in whole seconds, rounded down', () => {
    const { headers } = buildDeliveryRequest(makeInput({ nowMillis: 1614265330999 }));

    expect(headers['webhook-timestamp']).toBe('1614265330');
  });

  it('produces headers a Standard Webhooks receiver accepts', () => {
    const { body, headers } = buildDeliveryRequest(makeInput({ nowMillis: Date.now() }));

    expect(new Webhook(SECRET).verify(body, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('produces headers a Standard Webhooks receiver rejects for a tampered body', () => {
    const { headers } = buildDeliveryRequest(makeInput({ nowMillis: Date.now() }));

    expect(() =>
      new Webhook(SECRET).verify(BODY.replace('10001', '10002'), { ...headers }),
    ).toThrow();
  });
});
