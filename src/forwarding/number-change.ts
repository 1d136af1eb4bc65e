import type { PendingDelivery } from '../core/pending-delivery';
import type { Prepared } from './assess-change';
import type { ForwardOutcome } from './outcome';
import type { Allocation, ForwardingDeps } from './ports';
import { TooManyWaitingError } from './ports';
import { setAsideUnnumbered } from './settle';

/**
 * Gives a change its number among the changes (`tasksource.sequence`), or, if the issue
 * has too many waiting already, keeps it as a dead letter instead of losing it.
 */
export async function numberChange(
  prepared: Prepared,
  draft: Omit<PendingDelivery, 'sequence' | 'state'>,
  options: { readonly sendNow: boolean },
  deps: ForwardingDeps,
): Promise<Allocation | ForwardOutcome> {
  try {
    return await deps.pending.allocate(prepared.stored?.sequence ?? 0, draft, options);
  } catch (error) {
    if (!(error instanceof TooManyWaitingError)) throw error;

    return setAsideUnnumbered(draft, 'too-many-waiting', error.message, prepared.log, deps);
  }
}

export function isAllocation(value: Allocation | ForwardOutcome): value is Allocation {
  return 'kind' in value;
}
