import { Worker } from 'node:worker_threads';

import { EmulatedClock, installClock } from '../local/platform/clock';
import { manifestPermissions } from '../local/platform/manifest-permissions';
import { InProcessPlatform } from './in-process-platform';
import type { ChannelMemory } from './memory-channel';
import { createChannel, serve } from './memory-channel';
import type {
  FromWorker,
  HandlerName,
  HeapStats,
  Invoked,
  PlatformCall,
  ToWorker,
} from './memory-worker';

/**
 * One memory workload's world: the in-process platform and an emulated clock on this thread,
 * the app in a worker (`memory-worker.ts`, bundled) whose old generation may be capped at
 * `limitMb` (and then its young generation at `YOUNG_GENERATION_MB`). Setup code on this
 * thread (saving settings, reading KVS) uses the same platform.
 */

/** What the workloads read of the answers they get: outcomes, page answers, retry requests. */
export interface Answer {
  readonly outcome?: string;
  readonly stoppedEarly?: boolean;
  readonly ok?: boolean;
  readonly data?: { deadLetters?: unknown[]; deliveries?: unknown[]; resent?: number };
  readonly retryOptions?: { retryAfter?: number };
}

export class OutOfMemory extends Error {}

/** The young generation of a capped worker, so the cap bounds the whole heap. */
export const YOUNG_GENERATION_MB = 8;

export class MemorySession {
  readonly platform = new InProcessPlatform();
  readonly clock = new EmulatedClock();
  /** Requests the app sent to tasksource, as of the last invocation. */
  egressRequests = 0;
  invocations = 0;
  /** Heap statistics at the workload's midpoint, to compare with the end. */
  midpoint: HeapStats | undefined;
  private readonly worker: Worker;
  private readonly channel: ChannelMemory = createChannel();
  private readonly restoreClock: () => void;
  private statsWanted:
    { resolve: (stats: HeapStats) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(workerCode: string, limitMb?: number) {
    this.restoreClock = installClock(this.clock);
    this.platform.install();
    this.worker = new Worker(workerCode, {
      eval: true,
      workerData: { permissions: manifestPermissions(), channel: this.channel },
      env: { ...process.env, LOG_LEVEL: 'silent' },
      ...(limitMb
        ? {
            resourceLimits: {
              maxOldGenerationSizeMb: limitMb,
              maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
            },
          }
        : {}),
    });
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`[memory] The worker exited (${code})`)));
  }

  invoke(
    handler: HandlerName,
    payload: unknown,
    timeoutSeconds: number,
    context: unknown = this.platform.triggerContext(),
  ): Promise<Answer> {
    return this.invokeEach(handler, [payload], timeoutSeconds, context);
  }

  /** One invocation per payload, run back to back in the worker; answers the last one's. */
  async invokeEach(
    handler: HandlerName,
    payloads: readonly unknown[],
    timeoutSeconds: number,
    context: unknown = this.platform.triggerContext(),
  ): Promise<Answer> {
    if (this.failure) throw this.failure;

    this.invocations += payloads.length;
    const now = this.clock.now();
    this.send({ type: 'invoke', handler, payloads, context, timeoutSeconds, now });
    const outcome = (await serve(
      this.channel,
      (request) => {
        const { meta, path, init } = request as PlatformCall;
        return this.platform.answer(meta, path, init);
      },
      () => this.failure,
    )) as Invoked;
    this.egressRequests = outcome.egressRequests;
    if (outcome.error) throw new Error(`[memory] ${handler} threw: ${outcome.error}`);
    return (outcome.result ?? {}) as Answer;
  }

  /** Takes heap statistics now, as the workload's midpoint. */
  async mark(): Promise<void> {
    this.midpoint = await this.stats();
  }

  setEgress(status: number): void {
    this.send({ type: 'egress', status });
  }

  stats(): Promise<HeapStats> {
    if (this.failure) return Promise.reject(this.failure);

    return new Promise((resolve, reject) => {
      this.statsWanted = { resolve, reject };
      this.send({ type: 'stats' });
    });
  }

  async close(): Promise<void> {
    this.restoreClock();
    this.failure ??= new Error('[memory] The session is closed');
    await this.worker.terminate();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    this.statsWanted?.resolve(message.stats);
    this.statsWanted = undefined;
  }

  private fail(error: Error): void {
    const failure = /out of memory/i.test(`${error.message} ${(error as { code?: string }).code}`)
      ? new OutOfMemory(error.message)
      : error;
    this.failure ??= failure;
    this.statsWanted?.reject(failure);
    this.statsWanted = undefined;
  }
}
