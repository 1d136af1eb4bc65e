import { kvs } from '@forge/kvs';

import type { IssueRecord } from '../core/issue-record';
import { parseIssueRecord } from '../core/issue-record';
import type { Logger } from '../core/logger';
import type { IssueRecords } from '../forwarding/ports';
import { withKvsRetries } from './kvs-errors';

/**
 * Per-issue records under `issue:<issueId>`. Keys use Jira's numeric ids, never keys or label
 * text (KVS keys allow no `/` or `@`). Only the invocation delivering an issue's next change
 * writes its record (`kvs-pending-deliveries.ts` decides who that is), so writes never race.
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

    async put(record: IssueRecord) {
      await withKvsRetries('Saving the issue record', () =>
        kvs.set(`issue:${record.issueId}`, record),
      );
    },
  };
}
