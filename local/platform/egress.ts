/**
 * Outbound HTTP from app code, the way Forge constrains it: only to declared hosts. In the
 * local runtime a declared host is one a route names (the configured tasksource webhook URL,
 * rewritten to the bundled receiver or `--target`); anything else fails before a socket is
 * opened, so nothing the app does locally can reach the internet.
 *
 * `@forge/api` captures the global `fetch` when it is first imported, so
 * `installEgressControl()` must run before any app module is loaded.
 */

export interface EgressRoute {
  /** The origin the app addresses, e.g. `https://api.tasksource.io`. */
  readonly origin: string;
  /** Where requests to it go instead: a base URL (path and query are kept) or an exact URL. */
  readonly to: string;
  readonly keepPath: boolean;
}

/** One request the app sent through a route, and the status it got back. */
export interface EgressExchange {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly raw: string;
  /** Null when no answer came: the connection failed, was reset, or timed out. */
  readonly status: number | null;
  readonly failure?: string;
}

interface EgressState {
  routes: EgressRoute[];
  platformFetch: typeof fetch;
  observer: ((exchange: EgressExchange) => void) | undefined;
}

const STATE = Symbol.for('tasksource.local.egress');
type GlobalWithEgress = typeof globalThis & { [STATE]?: EgressState };

export function installEgressControl(): EgressState {
  const global = globalThis as GlobalWithEgress;
  const existing = global[STATE];
  if (existing) return existing;

  const state: EgressState = {
    routes: [],
    platformFetch: globalThis.fetch.bind(globalThis),
    observer: undefined,
  };
  global[STATE] = state;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) =>
    routeRequest(state, input, init)) as typeof fetch;
  return state;
}

export function setEgressRoutes(
  routes: EgressRoute[],
  observer?: (exchange: EgressExchange) => void,
): void {
  const state = installEgressControl();
  state.routes = routes;
  state.observer = observer;
}

/** The unrestricted fetch, for the local platform's own calls to its loopback servers. */
export function platformFetch(): typeof fetch {
  return installEgressControl().platformFetch;
}

async function routeRequest(
  state: EgressState,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const route = state.routes.find((candidate) => candidate.origin === url.origin);
  if (!route) {
    throw new TypeError('fetch failed', {
      cause: new Error(`[egress] ${url.host} is not an egress host this app declares`),
    });
  }

  const target = route.keepPath
    ? new URL(url.pathname + url.search, route.to).toString()
    : route.to;
  const sent = {
    url: url.toString(),
    headers: lowercase(new Headers(init?.headers)),
    raw: typeof init?.body === 'string' ? init.body : '',
  };
  try {
    const response = await state.platformFetch(target, init);
    state.observer?.({ ...sent, status: response.status });
    return response;
  } catch (error) {
    // A refused connection never reached a receiver; a reset or a timeout did.
    const failure = describeFailure(error);
    if (failure) state.observer?.({ ...sent, status: null, failure });
    throw error;
  }
}

function describeFailure(error: unknown): string | undefined {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';

  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'ECONNREFUSED' ? undefined : 'connection reset';
}

function lowercase(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name.toLowerCase()] = value;
  });
  return result;
}
