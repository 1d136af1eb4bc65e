import { Redactor } from './redact';

const WEBHOOK_URL = 'https://api.tasksource.io/jira?companyId=abc';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function makeRedactor(...secrets: string[]): Redactor {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.addSecret(secret);
  return redactor;
}

describe('Redactor.redactText', () => {
  it('replaces a secret whole even when a shorter registered secret sits inside it', () => {
    const redactor = new Redactor();
    redactor.addSecret('SHORTSECRET');
    redactor.addSecret('https://x.io/?k=SHORTSECRET&tail=private');

    expect(redactor.redactText('url https://x.io/?k=SHORTSECRET&tail=private')).toBe(
      'url [redacted]',
    );
  });

  it('replaces every occurrence of every registered secret', () => {
    const redactor = makeRedactor(WEBHOOK_URL, SIGNING_SECRET);
    const text = `POST ${WEBHOOK_URL} signed with ${SIGNING_SECRET}, again ${WEBHOOK_URL}`;

    expect(redactor.redactText(text)).toBe(
      'POST [redacted] signed with [redacted], again [redacted]',
    );
  });

  it('leaves text without secrets unchanged', () => {
    expect(makeRedactor(SIGNING_SECRET).redactText('Delivery failed')).toBe('Delivery failed');
  });

  it('ignores undefined and values too short to be secrets', () => {
    const redactor = new Redactor();
    redactor.addSecret(undefined);
    redactor.addSecret('abc');

    expect(redactor.redactText('abc is fine')).toBe('abc is fine');
  });
});

describe('Redactor.redactValue', () => {
  it('prints dates as ISO strings and never the bytes of a buffer', () => {
    const redactor = new Redactor();

    expect(redactor.redactValue({ at: new Date(0), raw: Buffer.from('secret bytes') })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      raw: '[binary]',
    });
  });

  it('removes registered secrets from nested objects, arrays and errors', () => {
    const redactor = makeRedactor(WEBHOOK_URL, SIGNING_SECRET);
    const value = {
      request: { target: WEBHOOK_URL, attempts: [{ note: `retry ${WEBHOOK_URL}` }] },
      list: [SIGNING_SECRET, [`deep ${SIGNING_SECRET}`]],
      error: new Error(`fetch ${WEBHOOK_URL} failed`),
      errors: [new TypeError(`bad key ${SIGNING_SECRET}`)],
    };

    const text = JSON.stringify(redactor.redactValue(value));

    expect(text).not.toContain(WEBHOOK_URL);
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toContain('companyId=abc');
    expect(text).toContain('[redacted]');
  });

  it('keeps the name and the redacted message of an error', () => {
    const redactor = makeRedactor(WEBHOOK_URL);

    expect(redactor.redactValue(new TypeError(`fetch ${WEBHOOK_URL} failed`))).toEqual({
      name: 'TypeError',
      message: 'fetch [redacted] failed',
    });
  });

  it.each([
    'signingSecret',
    'webhookUrl',
    'webhookURL',
    'authorization',
    'Authorization',
    'x-hub-signature',
    'webhook-signature',
    'accessToken',
    'password',
    'cookie',
    'set-cookie',
  ])('redacts whatever is under the key %s, even unregistered', (key) => {
    const value = { [key]: { anything: 'unregistered-value-1234' }, deliveryId: 'ts_1' };

    expect(new Redactor().redactValue(value)).toEqual({ [key]: '[redacted]', deliveryId: 'ts_1' });
  });

  it('redacts credential keys inside nested header objects', () => {
    const value = { request: { headers: { authorization: 'Bearer abc', 'content-type': 'json' } } };

    expect(new Redactor().redactValue(value)).toEqual({
      request: { headers: { authorization: '[redacted]', 'content-type': 'json' } },
    });
  });

  it('keeps ordinary fields, numbers, booleans and null as they are', () => {
    const value = { deliveryId: 'ts_1', status: 503, retried: true, cause: null, labels: ['a'] };

    expect(new Redactor().redactValue(value)).toEqual(value);
  });

  it('stops at a cycle instead of recursing forever', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;

    const text = JSON.stringify(new Redactor().redactValue(cyclic));

    expect(text).toContain('[too deep]');
  });
});
