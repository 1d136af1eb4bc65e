import { logKey, logPrefix } from './delivery-log';

describe('delivery log keys', () => {
  it('sort a project newest first, so a prefix query reads the latest deliveries', () => {
    const keys = [1_000, 1_796_000_000_000, 50_000].map((firstAttemptAt) =>
      logKey({ projectId: '10000', firstAttemptAt, deliveryId: `ts_${firstAttemptAt}` }),
    );

    expect([...keys].sort()).toEqual([keys[1], keys[2], keys[0]]);
    for (const key of keys) expect(key.startsWith(logPrefix('10000'))).toBe(true);
  });

  it('keep projects apart, and give changes without a project a prefix of their own', () => {
    expect(logPrefix('1')).toBe('log:1:');
    expect(logKey({ projectId: '10', firstAttemptAt: 0, deliveryId: 'x' })).not.toMatch(/^log:1:/);
    expect(logPrefix('')).toBe('log:none:');
  });
});
