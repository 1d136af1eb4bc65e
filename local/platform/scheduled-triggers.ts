import { randomUUID } from 'node:crypto';

import type { EmulatedClock } from './clock';
import type { ScheduledModule } from './manifest-modules';
import type { NoticeListener } from './platform-notice';
import type { Scheduler } from './scheduler';

/**
 * The manifest's `scheduledTrigger` modules on the emulated clock: each runs every interval
 * (`hour`: 3600 s) counted from the platform's start, first one interval after it. The handler
 * gets `({context: {cloudId, moduleKey}, contextToken}, context)` (FORGE.md §6). What it
 * returns is reported and otherwise ignored; a throw is reported and not retried.
 */

/** A scheduled trigger's function, bound to its invocation context by the platform. */
export type BoundScheduled = (request: unknown) => Promise<unknown>;

export interface ScheduledTriggersDeps {
  readonly clock: EmulatedClock;
  readonly scheduler: Scheduler;
  readonly notify: NoticeListener;
  readonly cloudId: string;
  readonly handlerFor: (module: ScheduledModule) => BoundScheduled;
}

export function startScheduledTriggers(
  modules: readonly ScheduledModule[],
  deps: ScheduledTriggersDeps,
): void {
  const startedAt = deps.clock.now();
  for (const module of modules)
    scheduleRun(module, startedAt + module.intervalSeconds * 1000, deps);
}

function scheduleRun(module: ScheduledModule, dueAt: number, deps: ScheduledTriggersDeps): void {
  deps.scheduler.schedule({
    dueAt,
    label: `scheduled trigger ${module.moduleKey}`,
    run: async () => {
      scheduleRun(module, dueAt + module.intervalSeconds * 1000, deps);
      await runOnce(module, deps);
    },
  });
}

async function runOnce(module: ScheduledModule, deps: ScheduledTriggersDeps): Promise<void> {
  const { clock, notify } = deps;
  const at = clock.now();
  const request = {
    context: { cloudId: deps.cloudId, moduleKey: module.moduleKey },
    contextToken: `local-${randomUUID()}`,
  };

  try {
    const result = await deps.handlerFor(module)(request);
    notify({ kind: 'scheduled-result', at, moduleKey: module.moduleKey, result });
  } catch (error) {
    notify({ kind: 'scheduled-threw', at, moduleKey: module.moduleKey, error });
  }
}
