import { randomUUID } from 'node:crypto';

import { LocalJira } from '../local/platform/local-jira';
import { LocalKvs } from '../local/platform/local-kvs';
import { manifestPermissions } from '../local/platform/manifest-permissions';
import { egress } from './in-process-egress';

/**
 * The local Forge platform without sockets, for the benchmark: the same two runtime globals
 * (`__forge_fetch__`, `__forge_runtime__`) and the same local Jira and KVS, called in process.
 * The real `@forge/*` modules run unmodified, so what is measured is the app's own code plus
 * the fakes' bookkeeping, never loopback HTTP. Egress to tasksource is answered 200 in process
 * (`in-process-egress.ts`, which must be imported first).
 *
 * For the CPU figure the fakes' own work (Jira's and KVS's side of each call) must not count
 * as the app's. Timing it call by call and subtracting is fragile (a busy machine stretches
 * each slice), so instead the answers of a recorded run are served again, in order, to a second
 * run of the same events (`record()`, `replay()`): the app does the same work, and the platform
 * side costs only handing over an answer already made.
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
  private recording: Recorded[] | undefined;
  private replaying: { answers: readonly Recorded[]; next: number } | undefined;

  install(): void {
    const global = globalThis as Record<string, unknown>;
    global.__forge_fetch__ = async (meta: Meta, path: string, init: RequestInit = {}) =>
      this.replaying ? this.replayed(path) : this.answer(meta, path, init);
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

  /** Keeps every answer from now until `stop()` is called, in order. */
  record(): { stop(): Recorded[] } {
    const answers: Recorded[] = [];
    this.recording = answers;
    return {
      stop: () => {
        this.recording = undefined;
        return answers;
      },
    };
  }

  /** Serves `answers` in order instead of the fakes, until `stop()`; a request out of step throws. */
  replay(answers: readonly Recorded[]): { stop(): void } {
    this.replaying = { answers, next: 0 };
    return {
      stop: () => {
        this.replaying = undefined;
      },
    };
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
    const recorded = {
      path,
      remote: remote ?? '',
      status: answer.status,
      wire: wireOf(answer.status, answer.body),
      headers: lowerCase((answer as { headers?: Record<string, string> }).headers),
    };
    this.recording?.push(recorded);
    return lightResponse(recorded);
  }

  private replayed(path: string): LightResponse {
    const replaying = this.replaying!;
    const recorded = replaying.answers[replaying.next];
    if (recorded?.path !== path) {
      throw new Error(`the replayed run asked for ${path}, the recorded one for ${recorded?.path}`);
    }
    replaying.next += 1;
    return lightResponse(recorded);
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
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
  readonly headers: { get(name: string): string | null };
}

/** One answer as it went over the wire. */
export interface Recorded {
  readonly path: string;
  readonly remote: string;
  readonly status: number;
  readonly wire: string;
  readonly headers: Readonly<Record<string, string>>;
}

function wireOf(status: number, body: unknown): string {
  return status === 204 ? '' : typeof body === 'string' ? body : JSON.stringify(body);
}

function lowerCase(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
}

function lightResponse({ status, wire, headers }: Recorded): LightResponse {
  return {
    status,
    ok: status >= 200 && status <= 299,
    json: async () => JSON.parse(wire) as unknown,
    text: async () => wire,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  };
}
