import type { EmulatedClock } from './clock';
import { backoffSeconds } from './local-queue';
import type { NoticeListener } from './platform-notice';
import { readRetryRequest } from './retry-request';
import type { Scheduler } from './scheduler';
import type { FilterDecision } from './trigger-filter';

/**
 * Product events into the app's trigger (FORGE.md §4, §5). The trigger's filter decides first:
 * an event it drops is reported and never invokes the trigger. The first call happens at once;
 * a trigger that returns an `InvocationError` is called again `retryAfter` seconds later on
 * the emulated clock, at most 4 times, each time with `event.retryContext = {retryCount,
 * retryReason, retryData}`, without filtering again. A trigger that throws is not retried.
 */

export const MAX_TRIGGER_RETRIES = 4;

/** A trigger, bound to its function's invocation context by the platform. */
export type BoundTrigger = (event: unknown) => Promise<unknown>;

export interface ProductTriggersDeps {
  readonly clock: EmulatedClock;
  readonly scheduler: Scheduler;
  readonly notify: NoticeListener;
  readonly triggerFor: (event: unknown) => BoundTrigger;
  /** The filter's decision for `event`, and the project it saw the event come from. */
  readonly admit: (event: unknown) => Admission;
}

export interface Admission {
  readonly decision: FilterDecision;
  readonly projectId: string | null;
}

export class ProductTriggers {
  constructor(private readonly deps: ProductTriggersDeps) {}

  /** Calls the trigger with `event` now, unless its filter drops it; retries go on the agenda. */
  async fire(event: unknown): Promise<void> {
    const { clock, notify } = this.deps;
    const { decision, projectId } = this.deps.admit(event);
    if (!decision.deliver) {
      const { deliver: _deliver, ...dropped } = decision;
      return notify({ kind: 'trigger-filtered', at: clock.now(), event, projectId, ...dropped });
    }
    if ('error' in decision) {
      const { deliver: _deliver, ...failed } = decision;
      notify({ kind: 'trigger-filter-failed', at: clock.now(), event, projectId, ...failed });
    }

    return this.attempt(event, 0);
  }

  private async attempt(event: unknown, retryCount: number): Promise<void> {
    const { clock, notify } = this.deps;
    let result: unknown;
    try {
      result = await this.deps.triggerFor(event)(event);
    } catch (error) {
      return notify({ kind: 'trigger-threw', at: clock.now(), event, error });
    }

    notify({ kind: 'trigger-result', at: clock.now(), event, result });
    const request = readRetryRequest(result);
    if (!request) return;
    if (retryCount >= MAX_TRIGGER_RETRIES) {
      return notify({ kind: 'trigger-gave-up', at: clock.now(), event, retries: retryCount });
    }

    const next = retryCount + 1;
    const retryAfter = request.retryAfter ?? backoffSeconds(next);
    notify({ kind: 'trigger-retry', at: clock.now(), event, retryCount: next, retryAfter });
    const retried = {
      ...(event as object),
      retryContext: {
        retryCount: next,
        retryReason: request.retryReason,
        retryData: request.retryData,
      },
    };
    this.deps.scheduler.schedule({
      dueAt: clock.now() + retryAfter * 1000,
      label: 'trigger retry',
      run: () => this.attempt(retried, next),
    });
  }
}
