// First: `@forge/api` takes the global `fetch` when it is first loaded.
import { egress } from './in-process-egress';

import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

import { EmulatedClock, installClock } from '../local/platform/clock';
import { continueReconciliation } from '../src/entry/on-reconcile';
import { adminPageResolver } from '../src/functions/admin-page-resolver';
import { onDeliveryQueue } from '../src/functions/on-delivery-queue';
import { onJiraEvent } from '../src/functions/on-jira-event';
import { onReconcile } from '../src/functions/on-reconcile';
import { projectPageResolver } from '../src/functions/project-page-resolver';
import type { Meta, PlatformAnswer } from './forge-runtime';
import { forgeRuntime, lightResponse } from './forge-runtime';
import type { ChannelMemory } from './memory-channel';
import { call, finish } from './memory-channel';

/**
 * The app in an isolate of its own, for `memory.ts`: the functions' handlers, the real
 * `@forge/*` modules and nothing else. Every platform call goes over `memory-channel.ts` to the
 * main thread, which holds the local Jira, KVS and queue, so this isolate's heap is the app's
 * alone and a heap limit set on the worker limits the app, not the fakes. Heap use is sampled
 * at every platform call and after every invocation.
 */

export const HANDLERS = {
  onJiraEvent,
  onDeliveryQueue,
  onReconcile,
  continueReconciliation,
  adminPageResolver,
  projectPageResolver,
} as const;

export type HandlerName = keyof typeof HANDLERS;

export type ToWorker =
  | {
      readonly type: 'invoke';
      readonly handler: HandlerName;
      /** One invocation per payload, one after the other; the answer is the last one's. */
      readonly payloads: readonly unknown[];
      readonly context: unknown;
      readonly timeoutSeconds: number;
      readonly now: number;
    }
  | { readonly type: 'egress'; readonly status: number }
  | { readonly type: 'stats' };

/** A platform call, sent over the channel. */
export interface PlatformCall {
  readonly meta: Meta;
  readonly path: string;
  readonly init: { method?: string; body?: string };
}

/** The outcome of an `invoke`, sent over the channel. */
export interface Invoked {
  readonly result?: unknown;
  readonly error?: string;
  readonly egressRequests: number;
}

export type FromWorker = { readonly type: 'stats'; readonly stats: HeapStats };

export interface HeapStats {
  /** After the modules loaded, before any invocation, after a full GC. */
  readonly loadedBytes: number;
  /** The most used at any platform call or invocation end. */
  readonly peakBytes: number;
  /** Now, after a full GC: what the app keeps between invocations. */
  readonly retainedBytes: number;
  /** The longest invocation, in wall-clock milliseconds (the platform's answers included). */
  readonly slowestMs: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
if (!parentPort) throw new Error('[memory] memory-worker.ts runs as a worker of memory.ts');
const port = parentPort;
const clock = new EmulatedClock();
const runtime = forgeRuntime(workerData.permissions);
const channel = workerData.channel as ChannelMemory;
let peakBytes = 0;
let slowestMs = 0;

function sample(): void {
  peakBytes = Math.max(peakBytes, getHeapStatistics().used_heap_size);
}

installClock(clock);
const global = globalThis as Record<string, unknown>;
global.__forge_runtime__ = runtime;
global.__forge_fetch__ = async (meta: Meta, path: string, init: RequestInit = {}) => {
  sample();
  const body = typeof init.body === 'string' ? init.body : undefined;
  const request: PlatformCall = {
    meta: { type: meta.type, provider: meta.provider, remote: meta.remote },
    path,
    init: { method: init.method, body },
  };
  return lightResponse(call(channel, request) as PlatformAnswer);
};

gc();
const loadedBytes = getHeapStatistics().used_heap_size;

port.on('message', (message: ToWorker) => {
  if (message.type === 'egress') {
    egress.status = message.status;
  } else if (message.type === 'stats') {
    gc();
    const retainedBytes = getHeapStatistics().used_heap_size;
    const stats = { loadedBytes, peakBytes, retainedBytes, slowestMs };
    port.postMessage({ type: 'stats', stats } satisfies FromWorker);
  } else {
    void invoke(message).then((outcome) => finish(channel, outcome));
  }
});

async function invoke(message: Extract<ToWorker, { type: 'invoke' }>): Promise<Invoked> {
  clock.moveTo(message.now);
  const handler = HANDLERS[message.handler] as (payload: unknown, context: unknown) => unknown;
  let outcome: Invoked = { egressRequests: egress.requests };
  for (const payload of message.payloads) {
    const started = performance.now();
    runtime.lambdaContext.getRemainingTimeInMillis = () =>
      message.timeoutSeconds * 1000 - (performance.now() - started);
    try {
      const result = await handler(payload, message.context);
      sample();
      outcome = { result, egressRequests: egress.requests };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      outcome = { error: text, egressRequests: egress.requests };
    }
    slowestMs = Math.max(slowestMs, performance.now() - started);
    if (outcome.error) break;
  }
  return outcome;
}
