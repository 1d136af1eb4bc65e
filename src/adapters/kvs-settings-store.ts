import { kvs } from '@forge/kvs';

import type { StoredSettings } from '../core/settings';
import { EMPTY_SETTINGS, storedSettingsSchema } from '../core/settings';
import { describeIssues, toFieldIssues } from '../core/zod-issues';
import type { SettingsReader } from '../forwarding/ports';
import type { SettingsStore } from '../settings/settings-service';
import { withKvsRetries } from './kvs-errors';

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

      const parsed = storedSettingsSchema.safeParse(stored);
      if (!parsed.success) {
        const detail = describeIssues(toFieldIssues(parsed.error));
        throw new UnreadableSettingsError(
          `[settings] The stored settings do not fit their schema: ${detail}`,
        );
      }
      return parsed.data;
    },

    async save(settings: StoredSettings) {
      const checked = storedSettingsSchema.parse(settings);
      await withKvsRetries('Saving settings', () => kvs.setSecret(SETTINGS_KEY, checked));
    },
  };
}
