import type { BridgeStub } from '../../setup-bridge';
import type { ForgeNode } from './forge-doc';

/**
 * Opens a UI Kit page the way Forge does: the page module is loaded into a fresh module
 * registry (its own React, reconciler and bridge client), renders itself with ForgeReconciler,
 * and talks only to the bridge stub from test/setup-bridge.ts. Resolver calls are answered by a
 * map of fakes, product context by a fixed object; nothing from `@forge/*` is mocked.
 */

export type FakeResolver = (payload: unknown) => unknown;
export type FakeResolvers = Readonly<Record<string, FakeResolver>>;

/** How long `settle` waits for answers before it gives up and lets the test look anyway. */
const SETTLE_LIMIT_MS = 5_000;

/** Answers on their way to a page; `settle` waits for them, except those from `neverAnswer`. */
const inFlight = new Set<Promise<unknown>>();
const unanswered = new WeakSet<Promise<unknown>>();

/** A resolver answer that never comes, to look at a page while it waits. */
export function neverAnswer(): Promise<never> {
  const promise = new Promise<never>(() => undefined);
  unanswered.add(promise);
  return promise;
}

export interface Invocation {
  readonly key: string;
  readonly payload: unknown;
}

export interface ForgePage {
  /** The document of the last render. */
  tree(): ForgeNode;
  /** Every resolver call so far, payloads as they crossed the bridge. */
  readonly invocations: readonly Invocation[];
  /** Calls an event handler as the host would, then waits for the answers it started. */
  fire(handler: unknown, ...args: unknown[]): Promise<void>;
  /** Lets timers of up to `ms` run out and the answers on their way arrive. */
  settle(ms?: number): Promise<void>;
}

interface PageOptions {
  readonly resolvers: FakeResolvers;
  /** What `view.getContext()` answers (useProductContext). */
  readonly context?: unknown;
}

type Act = (callback: () => Promise<void>) => Promise<void>;

export async function openPage(
  loadPage: () => Promise<unknown>,
  { resolvers, context = {} }: PageOptions,
): Promise<ForgePage> {
  const stub = bridgeStub();
  const invocations: Invocation[] = [];
  stub.calls = [];
  stub.respond = (cmd, data) => {
    if (cmd === 'invoke') return answerInvoke(resolvers, data, invocations);
    if (cmd === 'getContext') return context;
    if (cmd === 'reconcile' || cmd === 'onError') return undefined;
    throw new Error(`[forge-page] The page called callBridge('${cmd}'), which no test answers`);
  };

  let act: Act | undefined;
  await jest.isolateModulesAsync(async () => {
    const react = await import('react');
    act = react.act as Act;
    await act(async () => {
      await loadPage();
    });
  });
  if (!act) throw new Error('[forge-page] React did not load');

  const page = pageOn(stub, invocations, act);
  await page.settle();
  return page;
}

function pageOn(stub: BridgeStub, invocations: Invocation[], act: Act): ForgePage {
  const settle = async (ms = 0) => {
    const deadline = Date.now() + Math.max(ms, 0) + SETTLE_LIMIT_MS;
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      do {
        await answersOrDeadline([...inFlight], deadline);
        for (let turn = 0; turn < 5; turn += 1) await new Promise(setImmediate);
      } while (inFlight.size > 0 && Date.now() < deadline);
    });
  };

  return {
    invocations,
    settle,
    tree: () => lastDocument(stub),
    async fire(handler, ...args) {
      if (typeof handler !== 'function') throw new Error('[forge-page] Expected a handler prop');
      await act(async () => {
        await handler(...args);
      });
      await settle();
    },
  };
}

function answerInvoke(resolvers: FakeResolvers, data: unknown, invocations: Invocation[]) {
  const { functionKey, payload } = data as { functionKey: string; payload: unknown };
  // The real bridge serialises the payload and the answer; so does this one.
  const sent = viaJson(payload);
  invocations.push({ key: functionKey, payload: sent });

  const resolver = resolvers[functionKey];
  if (!resolver) throw new Error(`[forge-page] No fake resolver for '${functionKey}'`);
  const raw = resolver(sent);
  if (raw instanceof Promise && unanswered.has(raw)) return raw;

  const answer = Promise.resolve(raw).then(viaJson);
  inFlight.add(answer);
  void answer.then(
    () => inFlight.delete(answer),
    () => inFlight.delete(answer),
  );
  return answer;
}

function viaJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

async function answersOrDeadline(answers: Promise<unknown>[], deadline: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
  });
  await Promise.race([Promise.allSettled(answers), timeout]);
  clearTimeout(timer);
}

function lastDocument(stub: BridgeStub): ForgeNode {
  const renders = stub.calls.filter((call) => call.cmd === 'reconcile');
  const last = renders.at(-1)?.data as { forgeDoc?: ForgeNode } | undefined;
  if (!last?.forgeDoc) throw new Error('[forge-page] The page has not rendered yet');
  return last.forgeDoc;
}

function bridgeStub(): BridgeStub {
  const stub = globalThis.__bridge;
  if (!stub) throw new Error('[forge-page] Expected test/setup-bridge.ts in jest setupFiles');
  return stub;
}
