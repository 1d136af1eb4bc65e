import { kvs } from '@forge/kvs';

import { PermanentError, RetriableError } from '../core/errors';
import type { PendingDelivery } from '../core/pending-delivery';
import { pendingDeliverySchema, pendingKey } from '../core/pending-delivery';
import type { PendingDeliveries } from '../forwarding/ports';
import { TooManyWaitingError } from '../forwarding/ports';
import { isKeyExistsError, withKvsRetries } from './kvs-errors';

/**
 * Pending deliveries under `out:<issueId>:<sequence>`. Numbering is a conditional write
 * (`FAIL_IF_EXISTS`) on the next free number, so it needs no lock: of two changes racing for a
 * number, one gets it and the other moves on. The numbers taken form one unbroken run above the
 * record's `sequence` (a number is taken only once the one below it is), so the next free one
 * is found by reads that double, then halve: a few reads even with hundreds waiting. Entries
 * expire after 8 days, longer than any change is retried (`RETRY_FOR_HOURS`).
 */

const ENTRY_TTL = { unit: 'DAYS', value: 8 } as const;

/** More changes than this waiting for one issue means something is badly wrong upstream. */
export const MAX_WAITING_PER_ISSUE = 500;
/** Tries at a free number while others keep taking them, before asking for a retry. */
const NUMBERING_TRIES = 5;

export function createKvsPendingDeliveries(): PendingDeliveries {
  return {
    async allocate(settled, draft, options = {}) {
      const sendNow = options.sendNow ?? true;
      const first = settled + 1;
      const head: PendingDelivery = {
        ...draft,
        sequence: first,
        state: sendNow ? 'sending' : 'waiting',
      };
      if (await create(head)) return { kind: sendNow ? 'head' : 'waiting', entry: head };

      const holder = await read(draft.issueId, first);
      if (holder?.deliveryId === draft.deliveryId) return { kind: 'existing', entry: holder };

      for (let tries = 0; tries < NUMBERING_TRIES; tries += 1) {
        const sequence = await firstFreeAbove(draft.issueId, first);
        // The same change numbered a moment ago (a retried invocation) sits just below.
        const last = await read(draft.issueId, sequence - 1);
        if (last?.deliveryId === draft.deliveryId) return { kind: 'existing', entry: last };
        if (sequence - settled > MAX_WAITING_PER_ISSUE) {
          throw new TooManyWaitingError(draft.issueId, MAX_WAITING_PER_ISSUE);
        }
        const entry: PendingDelivery = { ...draft, sequence, state: 'waiting' };
        if (await create(entry)) return { kind: 'waiting', entry };
      }
      throw new RetriableError(`[ordering] Issue ${draft.issueId}: numbers kept being taken`);
    },

    get: read,

    async put(entry) {
      await withKvsRetries('Saving a pending delivery', () =>
        kvs.set(pendingKey(entry.issueId, entry.sequence), entry, { ttl: ENTRY_TTL }),
      );
    },
  };
}

/** The lowest free number above `taken`, which is taken: gallop up, then halve the gap. */
async function firstFreeAbove(issueId: string, taken: number): Promise<number> {
  let low = taken;
  let step = 1;
  let high = taken + step;
  while (await exists(issueId, high)) {
    low = high;
    step *= 2;
    high = taken + step;
    if (step > MAX_WAITING_PER_ISSUE * 2) return high;
  }

  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(issueId, middle)) low = middle;
    else high = middle;
  }
  return high;
}

async function exists(issueId: string, sequence: number): Promise<boolean> {
  const stored = await withKvsRetries('Reading a pending delivery', () =>
    kvs.get<unknown>(pendingKey(issueId, sequence)),
  );
  return stored !== undefined;
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
