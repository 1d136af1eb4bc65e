import { randomUUID } from 'node:crypto';

/**
 * The two runtime globals the real `@forge/*` modules read (FORGE.md §13), as the benchmark
 * fills them: shared by the in-process platform and the memory workloads' worker, which runs
 * the app in an isolate of its own and asks the platform for every answer.
 */

export type Meta = { type?: string; provider?: string; remote?: string };

/** One answer of the platform, serialised as it would be on the wire. */
export interface PlatformAnswer {
  readonly status: number;
  readonly text: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What `__forge_fetch__` must return (FORGE.md §13: `status`, `ok`, `json()`, `text()`,
 * `headers.get()`), without building a WHATWG `Response`: that would be transport cost, which
 * the benchmark leaves out.
 */
export interface LightResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
  readonly headers: { get(name: string): string | null };
}

export function platformAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> | undefined,
): PlatformAnswer {
  const text = status === 204 ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const lower = Object.fromEntries(
    Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  return { status, text, headers: lower };
}

export function lightResponse(answer: PlatformAnswer): LightResponse {
  const { status, text, headers } = answer;
  return {
    status,
    ok: status >= 200 && status <= 299,
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  };
}

export interface ForgeRuntime {
  readonly appContext: Record<string, unknown>;
  /** Replaced per invocation where the time left matters. */
  lambdaContext: { getRemainingTimeInMillis: () => number };
  readonly metrics: unknown;
  readonly tracing: unknown;
  readonly proxy: unknown;
}

/** `__forge_runtime__` for an app with `permissions`. */
export function forgeRuntime(permissions: unknown): ForgeRuntime {
  return {
    appContext: {
      appId: '3b905270-75db-4d3d-947c-61ecac670d37',
      appVersion: '0.1.0',
      environmentId: 'bench-environment',
      environmentType: 'DEVELOPMENT',
      installationId: 'bench-installation',
      invocationId: randomUUID(),
      moduleKey: 'tasksource-jira-events',
      permissions,
    },
    lambdaContext: { getRemainingTimeInMillis: () => 25_000 },
    metrics: {
      counter: () => ({ incr: () => undefined, decr: () => undefined }),
      timing: () => ({ measure: () => ({ stop: () => undefined }) }),
      gauge: () => ({ set: () => undefined }),
    },
    tracing: { traceId: 'bench', spanId: 'bench' },
    proxy: {},
  };
}

/** The context Forge hands a product-event trigger on the benchmark's site. */
export function triggerContext(): Record<string, unknown> {
  return {
    installContext: 'ari:cloud:jira::site/00000000-0000-4000-8000-00000000c10d',
    installation: { ari: { installationId: 'bench-installation' } },
  };
}
