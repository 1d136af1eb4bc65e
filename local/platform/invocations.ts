import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * Every function invocation the local runtime makes, timed against its limit. Each one runs in
 * its own async context holding its function, limit and start, so
 * `lambdaContext.getRemainingTimeInMillis()` answers for the invocation that asks. Run time is
 * real time: the emulated clock jumps between invocations, never during one. The local runtime
 * does not stop an invocation that runs over, as Forge would; it records it as an overrun.
 */

export interface InvocationTarget {
  readonly functionKey: string;
  readonly moduleKey: string;
  readonly timeoutSeconds: number;
}

export interface InvocationRecord {
  readonly functionKey: string;
  /** The manifest module key that caused the invocation. */
  readonly module: string;
  /** Emulated epoch milliseconds. */
  readonly startedAt: number;
  /** Real milliseconds it ran. */
  readonly ms: number;
  readonly limitMs: number;
}

export interface InvocationScope {
  readonly target: InvocationTarget;
  readonly invocationId: string;
  readonly startedReal: number;
}

/** What `getRemainingTimeInMillis()` answers outside any invocation (a test calling directly). */
const OUTSIDE_INVOCATION_MS = 25_000;

export class InvocationTracker {
  readonly records: InvocationRecord[] = [];
  private readonly scope = new AsyncLocalStorage<InvocationScope>();

  constructor(
    private readonly now: () => number,
    private readonly onOverrun: (record: InvocationRecord) => void = () => undefined,
  ) {}

  async run<T>(target: InvocationTarget, call: () => Promise<T> | T): Promise<T> {
    const scope = { target, invocationId: randomUUID(), startedReal: performance.now() };
    const startedAt = this.now();

    try {
      return await this.scope.run(scope, call);
    } finally {
      const record = {
        functionKey: target.functionKey,
        module: target.moduleKey,
        startedAt,
        ms: Math.round(performance.now() - scope.startedReal),
        limitMs: target.timeoutSeconds * 1000,
      };
      this.records.push(record);
      if (record.ms > record.limitMs) this.onOverrun(record);
    }
  }

  current(): InvocationScope | undefined {
    return this.scope.getStore();
  }

  remainingMillis(): number {
    const scope = this.scope.getStore();
    if (!scope) return OUTSIDE_INVOCATION_MS;

    const elapsed = performance.now() - scope.startedReal;
    return Math.max(0, Math.floor(scope.target.timeoutSeconds * 1000 - elapsed));
  }

  overruns(): InvocationRecord[] {
    return this.records.filter((record) => record.ms > record.limitMs);
  }
}
