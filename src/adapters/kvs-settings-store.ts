import { randomUUID } from 'node:crypto';

import { kvs } from '@forge/kvs';

import { RetriableError } from '../core/errors';
import { EMPTY_SETTINGS, storedSettingsSchema, storedSettingsShape } from '../core/settings';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { SettingsReader } from '../forwarding/ports';
import type { SettingsStore } from '../settings/settings-service';
import { isKeyExistsError, withKvsRetries } from './kvs-errors';

/**
 * All settings live in one record of the KVS secret store: the webhook URL and signing secret
 * are credentials, and one record means one read per event. The record is checked on the way
 * in and on the way out; a record that does not fit is reported, never silently replaced.
 */

export const SETTINGS_KEY = 'settings-v1';

export class UnreadableSettingsError extends Error {}

export function createKvsSettingsStore(): SettingsReader & SettingsStore {
  return {
    async load() {
      const stored = await withKvsRetries('Reading settings', () =>
        kvs.getSecret<unknown>(SETTINGS_KEY),
      );
      if (stored === undefined) return EMPTY_SETTINGS;

      const parsed = storedSettingsShape.safeParse(stored);
      if (!parsed.success) {
        const detail = describeIssues(toFieldIssues(parsed.error));
        throw new UnreadableSettingsError(
          `[settings] The stored settings do not fit their schema: ${detail}`,
        );
      }
      return parsed.data;
    },

    async markEndpointDisabled(connectionId, at) {
      await this.update((current) => {
        const connection = current.connection;
        if (connection?.connectionId !== connectionId || connection.disabledAt !== undefined) {
          return current;
        }
        return { ...current, connection: { ...connection, disabledAt: at } };
      });
    },

    async update(change) {
      const token = randomUUID();
      await acquireLock(token);
      try {
        const next = storedSettingsSchema.parse(await change(await this.load()));
        await withKvsRetries('Saving settings', () => kvs.setSecret(SETTINGS_KEY, next));
        return next;
      } finally {
        await releaseLock(token);
      }
    },
  };
}

/**
 * Saves are read-modify-write of one record, so two at once (a project save and a secret
 * rotation, say) would lose one. A short-lived lock key makes them take turns; its TTL frees it
 * if an invocation dies holding it.
 */
const LOCK_KEY = 'settings-lock';
const LOCK_TTL = { unit: 'SECONDS', value: 30 } as const;
const LOCK_ATTEMPTS = 40;
const LOCK_WAIT_MS = 150;

async function acquireLock(token: string): Promise<void> {
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt += 1) {
    try {
      await withKvsRetries('Locking settings', () =>
        kvs.set(LOCK_KEY, { token }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: LOCK_TTL }),
      );
      return;
    } catch (error) {
      if (!isKeyExistsError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
    }
  }
  throw new RetriableError('[settings] Someone else is saving settings right now');
}

async function releaseLock(token: string): Promise<void> {
  const held = await withKvsRetries('Reading the settings lock', () =>
    kvs.get<{ token?: unknown }>(LOCK_KEY),
  );
  if (held?.token === token) await withKvsRetries('Unlocking settings', () => kvs.delete(LOCK_KEY));
}
