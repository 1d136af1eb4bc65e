import { kvs, WhereConditions } from '@forge/kvs';

import type { DeadLetter } from '../core/dead-letter';
import {
  DEAD_LETTER_DAYS,
  deadLetterKey,
  deadLetterSchema,
  MAX_DEAD_LETTERS,
} from '../core/dead-letter';
import type { Logger } from '../core/logger';
import type { DeadLetters } from '../forwarding/ports';
import { withKvsRetries } from './kvs-errors';

/**
 * Dead letters under `dead:<deliveryId>`, each kept `DEAD_LETTER_DAYS` days. Adding one past
 * `MAX_DEAD_LETTERS` removes the oldest, and says so in the log: bounded, never silent.
 */

const TTL = { unit: 'DAYS', value: DEAD_LETTER_DAYS } as const;
const PAGE = 100;

export function createKvsDeadLetters(log: Logger): DeadLetters {
  const list = async (): Promise<DeadLetter[]> => {
    const letters: DeadLetter[] = [];
    let cursor: string | undefined;
    do {
      const page = await withKvsRetries('Listing dead letters', () => {
        const query = kvs.query().where('key', WhereConditions.beginsWith('dead:')).limit(PAGE);
        return (cursor ? query.cursor(cursor) : query).getMany<unknown>();
      });
      for (const { value } of page.results) {
        const parsed = deadLetterSchema.safeParse(value);
        if (parsed.success) letters.push(parsed.data);
      }
      cursor = page.nextCursor;
    } while (cursor && letters.length <= MAX_DEAD_LETTERS);

    return letters.sort((a, b) => b.deadAt - a.deadAt);
  };

  return {
    async add(letter) {
      await withKvsRetries('Saving a dead letter', () =>
        kvs.set(deadLetterKey(letter.deliveryId), letter, { ttl: TTL }),
      );

      // Keeping the count bounded must not undo the letter just kept: a failure here is
      // logged, and the next letter added tries again.
      try {
        await dropOldest(await list(), log);
      } catch (error) {
        log.warn('Could not check how many dead letters there are', { error });
      }
    },

    async get(deliveryId) {
      const stored = await withKvsRetries('Reading a dead letter', () =>
        kvs.get<unknown>(deadLetterKey(deliveryId)),
      );
      const parsed = deadLetterSchema.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    },

    async remove(deliveryId) {
      await withKvsRetries('Removing a dead letter', () => kvs.delete(deadLetterKey(deliveryId)));
    },

    list,
  };
}

async function dropOldest(newestFirst: readonly DeadLetter[], log: Logger): Promise<void> {
  for (const old of newestFirst.slice(MAX_DEAD_LETTERS)) {
    log.warn('Dropping the oldest dead letter: there are too many', {
      deliveryId: old.deliveryId,
      issueKey: old.issueKey,
      deadAt: new Date(old.deadAt).toISOString(),
    });
    await withKvsRetries('Dropping a dead letter', () => kvs.delete(deadLetterKey(old.deliveryId)));
  }
}
