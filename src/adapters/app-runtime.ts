import { getAppContext } from '@forge/api';

import type { AppIdentity } from '../settings/ports';

/**
 * What the running app knows about itself: its ids, and the origins its manifest lets it reach.
 * The manifest is the one source of allowed hosts, so a self-hosted bridge declared at deploy
 * time is accepted without a code change.
 */

/** Used when the runtime does not report the manifest's egress (KNOWN_ISSUES.md). */
const DEFAULT_ORIGINS = ['https://api.tasksource.io'];

export function allowedOrigins(): string[] {
  const backend = (
    getAppContext().permissions as { external?: { fetch?: { backend?: unknown[] } } }
  ).external?.fetch?.backend;
  const origins = (backend ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : (entry as { address?: unknown })?.address))
    .filter((address): address is string => typeof address === 'string' && URL.canParse(address))
    .map((address) => new URL(address).origin);
  return origins.length > 0 ? origins : DEFAULT_ORIGINS;
}

export function appIdentity(): AppIdentity {
  const { appAri, environmentAri } = getAppContext();
  return { appId: appAri.appId, environmentId: environmentAri.environmentId };
}

/** Milliseconds this invocation has left, when the runtime can say. */
export function remainingInvocationMs(): number | undefined {
  try {
    const remaining = getAppContext().invocationRemainingTimeInMillis();
    return Number.isFinite(remaining) ? remaining : undefined;
  } catch {
    return undefined;
  }
}

/** Milliseconds the current invocation has left; Forge's shortest limit if it cannot say. */
export function timeLeftMs(): number {
  return remainingInvocationMs() ?? SHORTEST_LIMIT_MS;
}

const SHORTEST_LIMIT_MS = 25_000;
