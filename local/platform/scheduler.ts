import type { EmulatedClock } from './clock';

/**
 * One agenda of due work for the local runtime: queue events, trigger retries and scheduled
 * triggers. Work runs in due-time order with the clock moved to its due time first. Work due
 * at the same moment (or already overdue) starts together, as Forge would run it, except that
 * no more than `limit` items sharing a concurrency key run at once. Nothing runs by itself:
 * `runDue()` runs what is due now, `advance(seconds)` moves time and runs everything due on the
 * way.
 */

export interface Concurrency {
  readonly key: string;
  readonly limit: number;
}

export interface AgendaItem {
  /** Emulated epoch milliseconds. */
  readonly dueAt: number;
  /** Names the work in error messages, e.g. `queue tasksource-deliveries`. */
  readonly label: string;
  readonly concurrency?: Concurrency | undefined;
  /** Does the work; reports its own outcome. A rejection is a bug in the runtime. */
  readonly run: () => Promise<void>;
}

export const MAX_INVOCATIONS_PER_RUN = 100_000;

export class RunawayScheduleError extends Error {}

interface Entry extends AgendaItem {
  readonly seq: number;
}

export class Scheduler {
  private agenda: Entry[] = [];
  private seq = 0;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly clock: EmulatedClock,
    private readonly maxInvocations = MAX_INVOCATIONS_PER_RUN,
  ) {}

  schedule(item: AgendaItem): void {
    this.agenda.push({ ...item, seq: (this.seq += 1) });
  }

  /** What is waiting, earliest first. */
  pending(): { dueAt: number; label: string }[] {
    return this.sorted().map(({ dueAt, label }) => ({ dueAt, label }));
  }

  /** Runs everything due by now, including work that work due now schedules for now. */
  runDue(): Promise<void> {
    return this.exclusive(() => this.drain(() => this.clock.now()));
  }

  /** Moves the clock `seconds` forward, running everything due on the way, in order. */
  advance(seconds: number): Promise<void> {
    return this.exclusive(async () => {
      const target = this.clock.now() + seconds * 1000;
      await this.drain(() => target);
      this.clock.moveTo(target);
    });
  }

  private async exclusive(work: () => Promise<void>): Promise<void> {
    while (this.draining) await this.draining;

    const running = work();
    this.draining = running;
    try {
      await running;
    } finally {
      this.draining = undefined;
    }
  }

  private async drain(until: () => number): Promise<void> {
    const counts = new Map<string, number>();
    let total = 0;

    for (;;) {
      const limit = until();
      const [next] = this.sorted();
      if (!next || next.dueAt > limit) return;

      this.clock.moveTo(next.dueAt);
      const wave = this.take(Math.min(this.clock.now(), limit));
      for (const item of wave) counts.set(item.label, (counts.get(item.label) ?? 0) + 1);
      total += wave.length;
      if (total > this.maxInvocations) throw runaway(this.maxInvocations, counts);

      await runWave(wave);
    }
  }

  /** Removes and returns the items due by `limit`, in due order. */
  private take(limit: number): Entry[] {
    const due = this.sorted().filter((item) => item.dueAt <= limit);
    this.agenda = this.agenda.filter((item) => item.dueAt > limit);
    return due;
  }

  private sorted(): Entry[] {
    return [...this.agenda].sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
  }
}

/** Starts items in order as their concurrency keys allow; resolves when all have finished. */
async function runWave(items: readonly Entry[]): Promise<void> {
  const waiting = [...items];
  const running = new Map<string, number>();
  const active = new Set<Promise<void>>();
  const failures: unknown[] = [];
  const mayStart = (item: Entry) =>
    !item.concurrency || (running.get(item.concurrency.key) ?? 0) < item.concurrency.limit;

  while (waiting.length > 0 || active.size > 0) {
    for (let index = waiting.findIndex(mayStart); index >= 0; index = waiting.findIndex(mayStart)) {
      const [item] = waiting.splice(index, 1) as [Entry];
      const key = item.concurrency?.key;
      if (key !== undefined) running.set(key, (running.get(key) ?? 0) + 1);

      const done: Promise<void> = item
        .run()
        .catch((error: unknown) => void failures.push(error))
        .finally(() => {
          if (key !== undefined) running.set(key, (running.get(key) ?? 1) - 1);
          active.delete(done);
        });
      active.add(done);
    }
    await Promise.race(active);
  }
  if (failures.length > 0) throw failures[0];
}

function runaway(max: number, counts: Map<string, number>): RunawayScheduleError {
  const [label, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['?', 0];
  return new RunawayScheduleError(
    `[scheduler] Stopped after ${max} invocations in one run: ${label} kept rescheduling ` +
      `(${count} runs). Expected due work to settle; look for work that re-queues itself without a delay.`,
  );
}
