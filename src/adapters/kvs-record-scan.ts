import { kvs, WhereConditions } from '@forge/kvs';

import { parseIssueRecord } from '../core/issue-record';
import type { IssueRecord } from '../core/issue-record';
import type { Logger } from '../core/logger';
import { pendingDeliverySchema, pendingKey } from '../core/pending-delivery';
import type { RecordScan } from '../reconcile/ports';
import { withKvsRetries } from './kvs-errors';

/**
 * Reads the per-issue records (`issue:<issueId>`) for reconciliation: a page at a time in key
 * order, or one by id. Read only; the forwarding pipeline is the one writer of records.
 */

const PREFIX = 'issue:';

export function createKvsRecordScan(log: Logger): RecordScan {
  return {
    async page(cursor, limit) {
      const query = kvs.query().where('key', WhereConditions.beginsWith(PREFIX)).limit(limit);
      const answer = await withKvsRetries('Listing issue records', () =>
        (cursor ? query.cursor(cursor) : query).getMany<unknown>(),
      );

      const records = answer.results.flatMap(({ key, value }) => {
        const record = readRecord(value, key.slice(PREFIX.length), log);
        return record ? [record] : [];
      });
      return { records, cursor: answer.nextCursor || undefined };
    },

    async get(issueId) {
      const stored = await withKvsRetries('Reading the issue record', () =>
        kvs.get<unknown>(`${PREFIX}${issueId}`),
      );
      return stored === undefined ? undefined : readRecord(stored, issueId, log);
    },

    async pendingChange(issueId, settled) {
      const stored = await withKvsRetries('Reading a pending delivery', () =>
        kvs.get<unknown>(pendingKey(issueId, settled + 1)),
      );
      if (stored === undefined) return undefined;

      const entry = pendingDeliverySchema.safeParse(stored);
      // Unreadable, it is still waiting; the queue reports it when it gets to it.
      if (!entry.success) return { dueAt: Number.POSITIVE_INFINITY };
      const { state, leaseUntil, nextAttemptAt } = entry.data;
      return { dueAt: state === 'sending' ? leaseUntil : nextAttemptAt };
    },
  };
}

function readRecord(value: unknown, issueId: string, log: Logger): IssueRecord | undefined {
  const record = parseIssueRecord(value);
  if (!record) log.warn('Ignoring an issue record that does not fit its schema', { issueId });
  return record;
}
