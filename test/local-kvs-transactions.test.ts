import { kvs } from '@forge/kvs';

import { withPlatform } from './support/platform';

/**
 * The local KVS's transactions, driven by the real `@forge/kvs` `transact()`: all or nothing,
 * the platform's limits, and counted as one write request (Forge rates a transaction as one
 * write), with every key it writes counted too.
 */

describe('KVS transactions', () => {
  it('write every key, with its TTL, as one write request', async () => {
    await withPlatform(async (platform) => {
      const before = { ...platform.kvs.counters };

      await kvs
        .transact()
        .set('issue:1', { n: 1 })
        .set('log:1', { n: 2 }, undefined, { ttl: { unit: 'SECONDS', value: 60 } })
        .delete('out:1')
        .execute();

      expect(platform.kvs.counters.writes - before.writes).toBe(1);
      expect(platform.kvs.counters.keysWritten - before.keysWritten).toBe(3);
      expect(platform.kvs.snapshot().plain).toEqual({ 'issue:1': { n: 1 }, 'log:1': { n: 2 } });
      await platform.advance(61);
      expect(platform.kvs.snapshot().plain).toEqual({ 'issue:1': { n: 1 } });
    });
  });

  it.each([
    ['more than 25 operations', 26, 'at most 25 operations'],
    ['a key twice', 2, 'more than once'],
  ])('refuse %s, writing nothing', async (_, count, message) => {
    await withPlatform(async (platform) => {
      const transaction = kvs.transact();
      for (let i = 0; i < count; i += 1) transaction.set(count === 2 ? 'same' : `k${i}`, i);

      await expect(transaction.execute()).rejects.toThrow(message);
      expect(platform.kvs.snapshot().plain).toEqual({});
    });
  });

  it('fail, writing nothing, on an injected set fault', async () => {
    await withPlatform(async (platform) => {
      platform.kvs.faults.add([{ match: 'set', status: 500, times: 1 }]);

      const failing = kvs.transact().set('a', 1).set('b', 2).execute();

      await expect(failing).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
      expect(platform.kvs.snapshot().plain).toEqual({});
      await kvs.transact().set('a', 1).execute();
      expect(platform.kvs.snapshot().plain).toEqual({ a: 1 });
    });
  });
});
