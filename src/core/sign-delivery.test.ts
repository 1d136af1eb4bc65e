import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import { signJiraStyle, signStandardWebhook } from './sign-delivery';

/** The Standard Webhooks specification's published signing example. */
const STANDARD_VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestampSeconds: 1614265330,
  body: '{"test": 2432232314}',
};

/** GitHub's documented X-Hub-Signature-256 example, the same `sha256=<hex>` shape Jira uses. */
const HUB_VECTOR = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
};

describe('signStandardWebhook', () => {
  it('reproduces the published Standard Webhooks test vector', () => {
    expect(signStandardWebhook(STANDARD_VECTOR)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('changes the signature when one byte of the body changes', () => {
    const changed = { ...STANDARD_VECTOR, body: '{"test": 2432232315}' };

    expect(signStandardWebhook(changed)).not.toBe(signStandardWebhook(STANDARD_VECTOR));
  });

  it('signs `id.timestamp.body` as one UTF-8 string, whatever characters the body holds', () => {
    const key = Buffer.from(STANDARD_VECTOR.secret.slice('whsec_'.length), 'base64');
    const whole = (id: string, timestampSeconds: number, body: string) =>
      `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;

    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'binary' }),
        fc.integer({ min: 0 }),
        (body, id, timestampSeconds) => {
          const signed = signStandardWebhook({ ...STANDARD_VECTOR, id, timestampSeconds, body });
          expect(signed).toBe(whole(id, timestampSeconds, body));
        },
      ),
    );
  });

  it('changes the signature when the id or the timestamp changes', () => {
    const original = signStandardWebhook(STANDARD_VECTOR);

    expect(signStandardWebhook({ ...STANDARD_VECTOR, id: 'msg_other' })).not.toBe(original);
    expect(signStandardWebhook({ ...STANDARD_VECTOR, timestampSeconds: 1614265331 })).not.toBe(
      original,
    );
  });
});

describe('signJiraStyle', () => {
  it("reproduces GitHub's documented X-Hub-Signature-256 vector", () => {
    expect(signJiraStyle(HUB_VECTOR.secret, HUB_VECTOR.body)).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('changes the signature when one byte of the body changes', () => {
    expect(signJiraStyle(HUB_VECTOR.secret, 'Hello, World?')).not.toBe(
      signJiraStyle(HUB_VECTOR.secret, HUB_VECTOR.body),
    );
  });

  it('keys the HMAC with the whole secret as configured, whsec_ prefix included', () => {
    const withPrefix = signJiraStyle(STANDARD_VECTOR.secret, STANDARD_VECTOR.body);
    const withoutPrefix = signJiraStyle(
      STANDARD_VECTOR.secret.slice('whsec_'.length),
      STANDARD_VECTOR.body,
    );

    expect(withPrefix).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(withPrefix).not.toBe(withoutPrefix);
  });
});
