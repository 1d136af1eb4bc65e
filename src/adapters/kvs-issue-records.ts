import { kvs } from '@forge/kvs';

import type { IssueRecord } from '../core/issue-record';
import { parseIssueRecord } from '../core/issue-record';
import type { Logger } from '../core/logger';
import type { IssueRecords } from '../forwarding/ports';
import { isKeyExistsError, withKvsRetries } from './kvs-errors';

/**
 * Per-issue records under `issue:<issueId>` and delivery claims under `claim:<deliveryId>`.
 * Keys use Jira's numeric ids, never keys or label text (KVS keys allow no `/` or `@`).
 */

/** Long enough to cover Forge's 4 retries of up to 15 minutes each, with room to spare. */
const CLAIM_TTL = { unit: 'HOURS', value: 6 } as const;

export function createKvsIssueRecords(log: Logger): IssueRecords {
  return {
    async get(issueId) {
      const stored = await withKvsRetries('Reading the issue record', () =>
        kvs.get<unknown>(`issue:${issueId}`),
      );
      if (stored === undefined) return undefined;

      const parsed = parseIssueRecord(stored);
      if (!parsed) log.warn('Ignoring an issue record that does not fit its schema', { issueId });
      return parsed;
    },

    async put(record: IssueRecord) {
      await withKvsRetries('Saving the issue record', () =>
        kvs.set(`issue:${record.issueId}`, record),
      );
    },

    async remove(issueId) {
      await withKvsRetries('Removing the issue record', () => kvs.delete(`issue:${issueId}`));
    },

    async claim(deliveryId, token) {
      try {
        await withKvsRetries('Claiming the delivery', () =>
          kvs.set(
            `claim:${deliveryId}`,
            { token },
            { keyPolicy: 'FAIL_IF_EXISTS', ttl: CLAIM_TTL },
          ),
        );
        return { claimed: true };
      } catch (error) {
        if (!isKeyExistsError(error)) throw error;

        const holder = await withKvsRetries('Reading the delivery claim', () =>
          kvs.get<{ token?: unknown }>(`claim:${deliveryId}`),
        );
        return { claimed: false, holder: typeof holder?.token === 'string' ? holder.token : '' };
      }
    },
  };
}
