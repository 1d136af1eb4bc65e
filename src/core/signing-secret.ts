/** A new Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
export function generateSigningSecret(randomBytes: (size: number) => Uint8Array): string {
  return `whsec_${Buffer.from(randomBytes(32)).toString('base64')}`;
}
