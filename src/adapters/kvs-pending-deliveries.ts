import { kvs } from '@forge/kvs';

import { PermanentError } from '../core/errors';
import type { PendingDelivery } from '../core/pending-delivery';
import { pendingDeliverySchema, pendingKey } from '../core/pending-delivery';
import type { PendingDeliveries } from '../forwarding/ports';
import { isKeyExistsError, withKvsRetries } from './kvs-errors';

/**
 * Pending deliveries under `out:<issueId>:<sequence>`. Numbering is a conditional write
 * (`FAIL_IF_EXISTS`) on the next free number, so it needs no lock: of two changes racing for a
 * number, one gets it and the other moves on to the next. Entries expire after 8 days, longer
 * than any change is retried (`RETRY_FOR_HOURS`).
 */

const ENTRY_TTL = { unit: 'DAYS', value: 8 } as const;

/** More changes than this waiting for one issue means something is badly wrong upstream. */
export const MAX_WAITING_PER_ISSUE = 500;

export function createKvsPendingDeliveries(): PendingDeliveries {
  return {
    async allocate(settled, draft, options = {}) {
      const sendNow = options.sendNow ?? true;
      for (let sequence = settled + 1; sequence <= settled + MAX_WAITING_PER_ISSUE; sequence += 1) {
        const head = sendNow && sequence === settled + 1;
        const state = head ? ('sending' as const) : ('waiting' as const);
        const entry: PendingDelivery = { ...draft, sequence, state };
        if (await create(entry)) return { kind: head ? 'head' : 'waiting', entry };

        const holder = await read(draft.issueId, sequence);
        if (holder?.deliveryId === draft.deliveryId) return { kind: 'existing', entry: holder };
      }
      throw new PermanentError(
        `[ordering] Issue ${draft.issueId} has ${MAX_WAITING_PER_ISSUE} changes waiting already`,
      );
    },

    get: read,

    async put(entry) {
      await withKvsRetries('Saving a pending delivery', () =>
        kvs.set(pendingKey(entry.issueId, entry.sequence), entry, { ttl: ENTRY_TTL }),
      );
    },
  };
}

async function create(entry: PendingDelivery): Promise<boolean> {
  try {
    await withKvsRetries('Numbering a delivery', () =>
      kvs.set(pendingKey(entry.issueId, entry.sequence), entry, {
        keyPolicy: 'FAIL_IF_EXISTS',
        ttl: ENTRY_TTL,
      }),
    );
    return true;
  } catch (error) {
    if (isKeyExistsError(error)) return false;
    throw error;
  }
}

async function read(issueId: string, sequence: number): Promise<PendingDelivery | undefined> {
  const stored = await withKvsRetries('Reading a pending delivery', () =>
    kvs.get<unknown>(pendingKey(issueId, sequence)),
  );
  if (stored === undefined) return undefined;

  const parsed = pendingDeliverySchema.safeParse(stored);
  if (!parsed.success) {
    throw new PermanentError(
      `[ordering] The pending delivery ${sequence} of issue ${issueId} does not fit its schema`,
    );
  }
  return parsed.data;
}
