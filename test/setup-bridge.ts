/**
 * Jest setup for UI Kit pages: a stand-in for the bridge that Forge's host script installs in a
 * real page. `@forge/bridge` reads `globalThis.__bridge.callBridge` once, when first imported,
 * and `@forge/react` sends every commit through `self.__bridge.callBridge('reconcile', …)`, so
 * both globals must exist before any test module loads (FORGE.md §13).
 *
 * The stand-in only records each call and hands it to `respond`, which a test replaces (see
 * test/ui/support/forge-page.ts). Until then it answers renders and errors and refuses the rest.
 */

export interface BridgeCall {
  readonly cmd: string;
  readonly data: unknown;
}

export type BridgeResponder = (cmd: string, data: unknown) => unknown;

export interface BridgeStub {
  callBridge(cmd: string, data?: unknown): Promise<unknown>;
  calls: BridgeCall[];
  respond: BridgeResponder;
}

declare global {
  var __bridge: BridgeStub | undefined;
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

export const refuseUnexpectedCalls: BridgeResponder = (cmd) => {
  if (cmd === 'reconcile' || cmd === 'onError') return undefined;
  throw new Error(`[setup-bridge] No answer for callBridge('${cmd}'); the test sets respond`);
};

const stub: BridgeStub = {
  calls: [],
  respond: refuseUnexpectedCalls,
  async callBridge(cmd, data) {
    stub.calls.push({ cmd, data });
    return stub.respond(cmd, data);
  },
};

globalThis.__bridge = stub;
// In the worker that runs UI Kit code `self` is the global object; Node has no `self`.
Object.defineProperty(globalThis, 'self', {
  value: globalThis,
  configurable: true,
  writable: true,
});
// Tells React that tests wrap updates in act(), so it warns about any that escape it.
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
