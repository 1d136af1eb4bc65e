import { Webhook } from 'standardwebhooks';

import { generateSigningSecret } from './signing-secret';
import { signingSecretSchema } from './settings';

describe('generateSigningSecret', () => {
  it('makes a Standard Webhooks secret of 32 random bytes that the settings and the library accept', () => {
    const secret = generateSigningSecret(() => new Uint8Array(32).fill(7));

    expect(secret).toBe(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    expect(signingSecretSchema.safeParse(secret).success).toBe(true);
    expect(() => new Webhook(secret)).not.toThrow();
  });
});
