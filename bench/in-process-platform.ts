import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { LocalJira } from '../local/platform/local-jira';
import { LocalKvs } from '../local/platform/local-kvs';
import { manifestPermissions } from '../local/platform/manifest-permissions';
import { egress } from './in-process-egress';

/**
 * The local Forge platform without sockets, for the benchmark: the same two runtime globals
 * (`__forge_fetch__`, `__forge_runtime__`) and the same local Jira and KVS, called in process.
 * The real `@forge/*` modules run unmodified, so what is measured is the app's own code plus
 * the fakes' bookkeeping, never loopback HTTP. Egress to tasksource is answered 200 in process
 * (`in-process-egress.ts`, which must be imported first). The time the fakes take to answer
 * (Jira's and KVS's side of each call, serialising the answer) is kept in `platformMillis()`,
 * so the benchmark can leave it out of the app's.
 */

export interface Counts {
  jiraRequests: number;
  kvsReads: number;
  /** Write requests: a transaction is one, as Forge rates it. */
  kvsWrites: number;
  /** Keys those requests wrote or deleted. */
  kvsKeysWritten: number;
  queuePushes: number;
  egress: number;
}

export class InProcessPlatform {
  readonly jira = new LocalJira();
  readonly kvs = new LocalKvs();
  private queuePushes = 0;
  private answeringMillis = 0;
  /** Jira's answers while capturing, for the CPU floor to parse the same text. */
  readonly jiraAnswers: string[] = [];
  capturing = false;

  install(): void {
    const global = globalThis as Record<string, unknown>;
    global.__forge_fetch__ = async (meta: Meta, path: string, init: RequestInit = {}) => {
      const started = performance.now();
      const answer = this.answer(meta, path, init);
      this.answeringMillis += performance.now() - started;
      return answer;
    };
    global.__forge_runtime__ = {
      appContext: {
        appId: '3b905270-75db-4d3d-947c-61ecac670d37',
        appVersion: '0.1.0',
        environmentId: 'bench-environment',
        environmentType: 'DEVELOPMENT',
        installationId: 'bench-installation',
        invocationId: randomUUID(),
        moduleKey: 'tasksource-jira-events',
        permissions: manifestPermissions(),
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

  counts(): Counts {
    return {
      jiraRequests: this.jira.requests.length,
      kvsReads: this.kvs.counters.reads,
      kvsWrites: this.kvs.counters.writes,
      kvsKeysWritten: this.kvs.counters.keysWritten,
      queuePushes: this.queuePushes,
      egress: egress.requests,
    };
  }

  /** Milliseconds the fakes and the egress stub spent answering, since the start. */
  platformMillis(): number {
    return this.answeringMillis + egress.millis;
  }

  triggerContext(): Record<string, unknown> {
    return {
      installContext: 'ari:cloud:jira::site/00000000-0000-4000-8000-00000000c10d',
      installation: { ari: { installationId: 'bench-installation' } },
    };
  }

  private answer(meta: Meta, path: string, init: RequestInit): LightResponse {
    const body = typeof init.body === 'string' && init.body ? JSON.parse(init.body) : undefined;
    const remote = meta.type === 'kvs' ? 'kvs' : meta.remote;
    const answer =
      remote === 'jira'
        ? this.jira.handle(init.method ?? 'GET', path, body, { provider: 'app', user: undefined })
        : remote === 'kvs'
          ? this.kvs.handle(path.split('?')[0] ?? '', body)
          : remote === 'stargate'
            ? this.publish(body)
            : { status: 404, body: { message: `no ${remote}` } };
    const response = lightResponse(
      answer.status,
      answer.body,
      (answer as { headers?: Record<string, string> }).headers,
    );
    if (this.capturing && remote === 'jira') this.jiraAnswers.push(response.wire);
    return response;
  }

  private publish(body: { payload?: unknown[] } | undefined) {
    this.queuePushes += body?.payload?.length ?? 0;
    return { status: 201, body: {} };
  }
}

type Meta = { type?: string; provider?: string; remote?: string };

/**
 * What `__forge_fetch__` must return (FORGE.md §13: `status`, `ok`, `json()`, `text()`,
 * `headers.get()`), without building a WHATWG `Response`: that would be transport cost, which
 * the benchmark leaves out. The body is serialised, as it would be on the wire.
 */
interface LightResponse {
  /** The body as it came over the wire. */
  readonly wire: string;
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
  readonly headers: { get(name: string): string | null };
}

function lightResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> | undefined,
): LightResponse {
  const text = status === 204 ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const lower = Object.fromEntries(
    Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  return {
    wire: text,
    status,
    ok: status >= 200 && status <= 299,
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
    headers: { get: (name) => lower[name.toLowerCase()] ?? null },
  };
}
