import { LocalJira } from '../local/platform/local-jira';
import type { ActingUser, Caller } from '../local/platform/local-jira-directory';
import { LocalKvs } from '../local/platform/local-kvs';
import { manifestPermissions } from '../local/platform/manifest-permissions';
import type { Meta, PlatformAnswer } from './forge-runtime';
import { forgeRuntime, lightResponse, platformAnswer, triggerContext } from './forge-runtime';
import { egress } from './in-process-egress';

/**
 * The local Forge platform without sockets, for the benchmark: the same two runtime globals
 * (`__forge_fetch__`, `__forge_runtime__`) and the same local Jira and KVS, called in process.
 * The real `@forge/*` modules run unmodified, so what is measured is the app's own code plus
 * the fakes' bookkeeping, never loopback HTTP. Egress to tasksource is answered in process
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

export interface QueuedEvent {
  readonly body: unknown;
  readonly dueAt: number;
}

/** One answer as it went over the wire, and what it answered. */
export interface Recorded extends PlatformAnswer {
  readonly path: string;
  readonly remote: string;
}

interface Replaying {
  readonly answers: readonly Recorded[];
  next: number;
}

export class InProcessPlatform {
  readonly jira = new LocalJira();
  readonly kvs = new LocalKvs();
  /** Every queue event pushed so far, in push order, and when it is due (nothing consumes it). */
  readonly queued: QueuedEvent[] = [];
  /** Who `asUser()` calls act for; without one, Jira answers them as the app. */
  actingUser: ActingUser | undefined;
  private queuePushes = 0;
  private recording: Recorded[] | undefined;
  private replaying: Replaying | undefined;

  install(): void {
    const global = globalThis as Record<string, unknown>;
    global.__forge_fetch__ = async (meta: Meta, path: string, init: RequestInit = {}) => {
      const replaying = this.replaying;
      return lightResponse(
        replaying ? this.replayed(replaying, path) : this.answer(meta, path, init),
      );
    };
    global.__forge_runtime__ = forgeRuntime(manifestPermissions());
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

  triggerContext(): Record<string, unknown> {
    return triggerContext();
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

  /**
   * Serves `answers` in order instead of the fakes, until `stop()`; a request out of step
   * throws.
   */
  replay(answers: readonly Recorded[]): { stop(): void } {
    this.replaying = { answers, next: 0 };
    return {
      stop: () => {
        this.replaying = undefined;
      },
    };
  }

  /** The answer to one `__forge_fetch__` call: Jira, KVS or the queue. */
  answer(meta: Meta, path: string, init: Pick<RequestInit, 'method' | 'body'>): PlatformAnswer {
    const body = typeof init.body === 'string' && init.body ? JSON.parse(init.body) : undefined;
    const remote = meta.type === 'kvs' ? 'kvs' : meta.remote;
    const answer =
      remote === 'jira'
        ? this.jira.handle(init.method ?? 'GET', path, body, this.caller(meta))
        : remote === 'kvs'
          ? this.kvs.handle(path.split('?')[0] ?? '', body)
          : remote === 'stargate'
            ? this.publish(body)
            : { status: 404, body: { message: `no ${remote}` } };
    const answered = platformAnswer(
      answer.status,
      answer.body,
      (answer as { headers?: Record<string, string> }).headers,
    );
    this.recording?.push({ ...answered, path, remote: remote ?? '' });
    return answered;
  }

  private replayed(replaying: Replaying, path: string): PlatformAnswer {
    const recorded = replaying.answers[replaying.next];
    if (recorded?.path !== path) {
      throw new Error(`the replayed run asked for ${path}, the recorded one for ${recorded?.path}`);
    }
    replaying.next += 1;
    return recorded;
  }

  private caller(meta: Meta): Caller {
    return meta.provider === 'user' && this.actingUser
      ? { provider: 'user', user: this.actingUser }
      : { provider: 'app', user: undefined };
  }

  private publish(body: { payload?: { body?: unknown; delayInSeconds?: number }[] } | undefined) {
    this.queuePushes += body?.payload?.length ?? 0;
    for (const event of body?.payload ?? []) {
      this.queued.push({
        body: event.body,
        dueAt: Date.now() + (event.delayInSeconds ?? 0) * 1000,
      });
    }
    return { status: 201, body: {} };
  }
}
