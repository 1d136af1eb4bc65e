import { kvs, WhereConditions } from '@forge/kvs';

import { deliveryLogEntrySchema, LOG_DAYS, logKey, logPrefix } from '../core/delivery-log';
import type { DeliveryLog } from '../forwarding/ports';
import { withKvsRetries } from './kvs-errors';

/** The delivery log: one entry per delivery, newest first per project, kept `LOG_DAYS` days. */

export const LOG_TTL = { unit: 'DAYS', value: LOG_DAYS } as const;

export function createKvsDeliveryLog(): DeliveryLog {
  return {
    async write(entry) {
      await withKvsRetries('Writing the delivery log', () =>
        kvs.set(logKey(entry), entry, { ttl: LOG_TTL }),
      );
    },

    async remove(row) {
      await withKvsRetries('Removing a delivery log row', () => kvs.delete(logKey(row)));
    },

    async list(projectId, limit) {
      const page = await withKvsRetries('Reading the delivery log', () =>
        kvs
          .query()
          .where('key', WhereConditions.beginsWith(logPrefix(projectId)))
          .limit(Math.min(100, Math.max(1, limit)))
          .getMany<unknown>(),
      );
      return page.results.flatMap(({ value }) => {
        const parsed = deliveryLogEntrySchema.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
