import { kvs } from '@forge/kvs';

import type { Logger } from '../core/logger';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { ReconcileStateStore } from '../reconcile/ports';
import {
  FRESH_STATE,
  RECONCILE_STATE_KEY,
  reconcileStateSchema,
} from '../reconcile/reconcile-state';
import { isKeyExistsError, withKvsRetries } from './kvs-errors';

/**
 * Reconciliation's state under `reconcile-state`, checked on the way in and out, and its lock
 * under `reconcile-lock`. A stored state that does not fit is logged and read as a fresh start:
 * the cost is one full search, never a stuck reconciliation.
 *
 * The lock is a `FAIL_IF_EXISTS` write with a TTL longer than the function's 120 s timeout.
 * KVS may expire keys up to 48 h late (FORGE.md §8), so the lock also carries its own expiry,
 * and a lock past it is taken over.
 */

const LOCK_KEY = 'reconcile-lock';
const LOCK_MS = 180_000;
const LOCK_TTL = { unit: 'SECONDS', value: LOCK_MS / 1000 } as const;

interface StoredLock {
  readonly token?: unknown;
  readonly expiresAt?: unknown;
}

export function createKvsReconcileState(log: Logger, now: () => number): ReconcileStateStore {
  const write = (token: string) =>
    withKvsRetries('Locking reconciliation', () =>
      kvs.set(
        LOCK_KEY,
        { token, expiresAt: now() + LOCK_MS },
        { keyPolicy: 'FAIL_IF_EXISTS', ttl: LOCK_TTL },
      ),
    );

  return {
    async load() {
      const stored = await withKvsRetries('Reading the reconciliation state', () =>
        kvs.get<unknown>(RECONCILE_STATE_KEY),
      );
      if (stored === undefined) return FRESH_STATE;

      const parsed = reconcileStateSchema.safeParse(stored);
      if (parsed.success) return parsed.data;

      const detail = describeIssues(toFieldIssues(parsed.error));
      log.warn('The reconciliation state does not fit its schema; starting afresh', { detail });
      return FRESH_STATE;
    },

    async save(state) {
      const checked = reconcileStateSchema.parse(state);
      await withKvsRetries('Saving the reconciliation state', () =>
        kvs.set(RECONCILE_STATE_KEY, checked),
      );
    },

    async lock(token) {
      try {
        await write(token);
        return { locked: true };
      } catch (error) {
        if (!isKeyExistsError(error)) throw error;
      }

      const held = await readLock();
      if (typeof held?.expiresAt === 'number' && held.expiresAt > now()) return { locked: false };

      log.warn('Taking over a reconciliation lock past its expiry');
      await withKvsRetries('Removing a stale lock', () => kvs.delete(LOCK_KEY));
      try {
        await write(token);
        return { locked: true };
      } catch (error) {
        if (isKeyExistsError(error)) return { locked: false };
        throw error;
      }
    },

    async unlock(token) {
      const held = await readLock();
      if (held?.token !== token) return;

      await withKvsRetries('Unlocking reconciliation', () => kvs.delete(LOCK_KEY));
    },
  };
}

function readLock(): Promise<StoredLock | undefined> {
  return withKvsRetries('Reading the reconciliation lock', () => kvs.get<StoredLock>(LOCK_KEY));
}
