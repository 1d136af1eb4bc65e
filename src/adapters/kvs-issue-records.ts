import { kvs } from '@forge/kvs';

import { logKey } from '../core/delivery-log';
import { parseIssueRecord } from '../core/issue-record';
import type { Logger } from '../core/logger';
import type { IssueRecords } from '../forwarding/ports';
import { LOG_TTL } from './kvs-delivery-log';
import { withKvsRetries } from './kvs-errors';

/**
 * Per-issue records under `issue:<issueId>`. Keys use Jira's numeric ids, never keys or label
 * text (KVS keys allow no `/` or `@`). Only the invocation delivering an issue's next change
 * writes its record (`kvs-pending-deliveries.ts` decides who that is), so writes never race.
 * A settled change writes its record and its delivery log entry (`kvs-delivery-log.ts` lists
 * them) in one transaction: one write request instead of two, and never one without the other.
 */

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

    async put(record, logged) {
      const key = `issue:${record.issueId}`;
      if (!logged) {
        await withKvsRetries('Saving the issue record', () => kvs.set(key, record));
        return;
      }

      await withKvsRetries('Saving the issue record and its delivery log entry', () =>
        kvs
          .transact()
          .set(key, record)
          .set(logKey(logged), logged, undefined, { ttl: LOG_TTL })
          .execute(),
      );
    },
  };
}
