import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { APP_HANDLERS } from './app-handlers';
import { EmulatedClock, installClock } from './clock';
import { installEgressControl, platformFetch } from './egress';
import { parseJsonOr, readBody } from './http-body';
import type { InvocationRecord, InvocationTarget } from './invocations';
import { InvocationTracker } from './invocations';
import { LocalJira } from './local-jira';
import type { ActingUser, Caller } from './local-jira-directory';
import { LocalKvs } from './local-kvs';
import type { QueuedEvent } from './local-queue';
import { LocalQueue } from './local-queue';
import { manifestPermissions } from './manifest-permissions';
import { eventRuntime } from './event-runtime';
import type { FunctionModule, ManifestModules, TriggerModule } from './manifest-modules';
import { DEFAULT_TIMEOUT_SECONDS, readManifestModules } from './manifest-modules';
import type { NoticeListener, PlatformNotice } from './platform-notice';
import type { Admission } from './product-triggers';
import { ProductTriggers } from './product-triggers';
import { startScheduledTriggers } from './scheduled-triggers';
import { MAX_INVOCATIONS_PER_RUN, Scheduler } from './scheduler';
import { applyTriggerFilter } from './trigger-filter';

/**
 * The Forge platform on 127.0.0.1: what `@forge/api`, `@forge/kvs` and `@forge/events` reach
 * through the runtime's two globals (FORGE.md §13). `__forge_fetch__` sends each call over real
 * HTTP to one loopback server that plays Jira (`/jira/…`), KVS (`/kvs/…`) and the async events
 * queue (`/stargate/…`). The real modules run unmodified; nothing is mocked.
 *
 * The platform also calls the app as Forge does: the functions `manifest.yml` names for the
 * trigger, the queue consumer, scheduled triggers and resolvers, each in an invocation timed
 * against its `timeoutSeconds` (`invocations`, `overruns()`). A product event first passes the
 * trigger's `filter` (`trigger-filter.ts`); one it drops invokes nothing.
 *
 * Time: `clock` is real time plus an offset. This is how the emulator moves time: `advance()`
 * grows the offset and runs the due work on `scheduler`'s agenda on the way (queue events,
 * trigger retries, scheduled triggers). While the platform runs, `Date.now()` and `new Date()`
 * follow `clock`, and KVS TTLs expire on it; `close()` restores the real `Date`. The real
 * runtime needs nothing like this.
 */

export interface LocalForgePlatformOptions {
  readonly appId?: string;
  readonly installationId?: string;
  readonly cloudId?: string;
  /** Handlers by export name in place of the app's own (`app-handlers.ts`), e.g. a stub. */
  readonly handlers?: Readonly<Record<string, unknown>>;
  /** Stops one `advance()` or `runDue()` after this many invocations (a runaway). */
  readonly maxInvocationsPerRun?: number;
}

export type { QueuedEvent } from './local-queue';

type ForgeFetchMeta = { type?: string; provider?: string; remote?: string; accountId?: string };
type Handler = (payload: unknown, context: unknown) => unknown;

export class LocalForgePlatform {
  readonly jira = new LocalJira();
  readonly clock = new EmulatedClock();
  readonly kvs = new LocalKvs(() => this.clock.now());
  readonly appId: string;
  readonly installationId: string;
  readonly cloudId: string;
  readonly scheduler: Scheduler;
  readonly modules: ManifestModules = readManifestModules();
  private readonly tracker = new InvocationTracker(
    () => this.clock.now(),
    (record) => this.notify({ kind: 'overrun', at: this.clock.now(), record }),
  );
  private readonly queue: LocalQueue;
  private readonly triggers: ProductTriggers;
  private readonly handlers: Readonly<Record<string, unknown>>;
  private readonly consumers = new Map<string, { target: InvocationTarget; handler: Handler }>();
  private readonly listeners: NoticeListener[] = [];
  private server: Server | undefined;
  private restoreDate: (() => void) | undefined;
  /** The user each running invocation acts for, as the Forge runtime binds it per invocation. */
  private readonly acting = new AsyncLocalStorage<ActingUser>();
  private baseUrl = '';

  constructor(options: LocalForgePlatformOptions = {}) {
    this.appId = options.appId ?? '3b905270-75db-4d3d-947c-61ecac670d37';
    this.installationId = options.installationId ?? 'local-installation-0001';
    this.cloudId = options.cloudId ?? '00000000-0000-4000-8000-00000000c10d';
    this.handlers = { ...APP_HANDLERS, ...options.handlers };
    this.scheduler = new Scheduler(
      this.clock,
      options.maxInvocationsPerRun ?? MAX_INVOCATIONS_PER_RUN,
    );
    const notify = (notice: PlatformNotice) => this.notify(notice);
    this.queue = new LocalQueue({
      clock: this.clock,
      scheduler: this.scheduler,
      notify,
      consumerFor: (queueName) => this.consumerFor(queueName),
    });
    this.triggers = new ProductTriggers({
      clock: this.clock,
      scheduler: this.scheduler,
      notify,
      triggerFor: (event) => this.triggerFor(event),
      admit: (event) => this.admit(event),
    });
    this.kvs.onWrite((write) => {
      if (write.namespace !== 'plain' || write.existed || !write.key.startsWith('dead:')) return;
      notify({ kind: 'dead-letter', at: this.clock.now(), key: write.key, value: write.value });
    });
  }

  static async start(options: LocalForgePlatformOptions = {}): Promise<LocalForgePlatform> {
    const platform = new LocalForgePlatform(options);
    await platform.listen();
    platform.installGlobals();
    startScheduledTriggers(platform.modules.scheduled, {
      clock: platform.clock,
      scheduler: platform.scheduler,
      notify: (notice) => platform.notify(notice),
      cloudId: platform.cloudId,
      handlerFor: (module) => (request) => platform.invoke(module, request),
    });
    return platform;
  }

  /** Every event pushed to a queue, in push order. */
  get queued(): readonly QueuedEvent[] {
    return this.queue.pushed;
  }

  /** Every invocation so far: `{functionKey, module, startedAt, ms, limitMs}`. */
  get invocations(): readonly InvocationRecord[] {
    return this.tracker.records;
  }

  /** Invocations that ran longer than their function's limit; tests assert there are none. */
  overruns(): InvocationRecord[] {
    return this.tracker.overruns();
  }

  /** Calls `listener` with everything the platform reports; returns how to stop. */
  observe(listener: NoticeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /**
   * Consumes `queueName` with `handler` on this platform instead of the manifest's consumer
   * (tests: a tiny handler in place of the app's).
   */
  registerConsumer(
    queueName: string,
    handler: Handler,
    options: { functionKey?: string; timeoutSeconds?: number } = {},
  ): void {
    const target = {
      functionKey: options.functionKey ?? `test-consumer-${queueName}`,
      moduleKey: `test-consumer-${queueName}`,
      timeoutSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS.consumer,
    };
    this.consumers.set(queueName, { target, handler });
  }

  /** A product event, handed to the manifest's trigger now; its retries go on the agenda. */
  fireTrigger(event: unknown): Promise<void> {
    return this.triggers.fire(event);
  }

  /** Runs the work on the agenda that is due by now. */
  runDue(): Promise<void> {
    return this.scheduler.runDue();
  }

  /** Moves the clock `seconds` forward, running everything due on the way, in order. */
  advance(seconds: number): Promise<void> {
    return this.scheduler.advance(seconds);
  }

  /** Calls a page module's resolver function, timed as an invocation of it. */
  invokeResolver<T>(moduleKey: string, call: () => Promise<T>): Promise<T> {
    const module = this.modules.resolvers.find((candidate) => candidate.moduleKey === moduleKey);
    if (!module) throw new Error(`[platform] No resolver module ${moduleKey} in manifest.yml`);

    return this.tracker.run(module, call);
  }

  /** Runs `invocation` as `user`: its `asUser()` calls reach Jira as that user. */
  actAs<T>(user: ActingUser, invocation: () => Promise<T>): Promise<T> {
    return this.acting.run(user, invocation);
  }

  /** The context Forge hands a product-event trigger. */
  triggerContext(): Record<string, unknown> {
    return {
      installContext: `ari:cloud:jira::site/${this.cloudId}`,
      installation: {
        ari: { installationId: this.installationId },
        contexts: [{ cloudId: this.cloudId, workspaceId: this.cloudId }],
      },
    };
  }

  async close(): Promise<void> {
    this.restoreDate?.();
    this.restoreDate = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;

    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private notify(notice: PlatformNotice): void {
    for (const listener of this.listeners) listener(notice);
  }

  /** Calls a manifest function's handler with `(payload, context)` inside a timed invocation. */
  private invoke(module: FunctionModule, payload: unknown): Promise<unknown> {
    const handler = this.handlers[module.exportName];
    if (typeof handler !== 'function') {
      const message = `[platform] ${module.functionKey} names ${module.exportName}, which the app does not export`;
      return Promise.reject(new Error(message));
    }

    return this.tracker.run(module, () => (handler as Handler)(payload, this.triggerContext()));
  }

  private triggerFor(event: unknown): (event: unknown) => Promise<unknown> {
    const chosen = this.triggerModuleFor(event);
    return (payload) => this.invoke(chosen, payload);
  }

  /** The trigger subscribed to the event's type, else the first (hostile events reach it too). */
  private triggerModuleFor(event: unknown): TriggerModule {
    const eventType = (event as { eventType?: unknown } | null)?.eventType;
    const { triggers } = this.modules;
    const module = triggers.find((trigger) => trigger.events.includes(String(eventType)));
    const chosen = module ?? triggers[0];
    if (!chosen) throw new Error('[platform] manifest.yml declares no trigger');
    return chosen;
  }

  /** The manifest filter's decision, over `event.runtime` as the local Jira has it now. */
  private admit(event: unknown): Admission {
    const filter = this.triggerModuleFor(event).filter;
    const runtime = eventRuntime(event, this.jira);
    const projectId = (runtime.project as { id?: string } | undefined)?.id ?? null;
    return { decision: applyTriggerFilter(filter, event, runtime), projectId };
  }

  private consumerFor(queueName: string): ((event: unknown) => Promise<unknown>) | undefined {
    const registered = this.consumers.get(queueName);
    if (registered) {
      const { target, handler } = registered;
      return (event) => this.tracker.run(target, () => handler(event, this.triggerContext()));
    }

    const module = this.modules.consumers.find((consumer) => consumer.queue === queueName);
    return module ? (event) => this.invoke(module, event) : undefined;
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => void this.route(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private installGlobals(): void {
    installEgressControl();
    this.restoreDate = installClock(this.clock);
    const send = platformFetch();
    const global = globalThis as Record<string, unknown>;

    global.__forge_fetch__ = async (meta: ForgeFetchMeta, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (meta.provider) headers.set('x-forge-provider', meta.provider);
      const user = this.acting.getStore();
      if (meta.provider === 'user' && user) {
        headers.set('x-forge-account-id', meta.accountId ?? user.accountId);
        headers.set('x-local-permissions', user.permissions.join(','));
      }
      return send(`${this.baseUrl}/${remoteOf(meta)}${path}`, { ...init, headers });
    };
    global.__forge_runtime__ = this.runtimeGlobal();
  }

  /** `__forge_runtime__`: `appContext` and the remaining time answer for the current invocation. */
  private runtimeGlobal(): Record<string, unknown> {
    const tracker = this.tracker;
    const base = {
      appId: this.appId,
      appVersion: '0.1.0',
      environmentId: 'local-environment',
      environmentType: 'DEVELOPMENT',
      installationId: this.installationId,
      permissions: manifestPermissions(),
    };
    const fallbackInvocation = randomUUID();
    return {
      get appContext() {
        const scope = tracker.current();
        return {
          ...base,
          invocationId: scope?.invocationId ?? fallbackInvocation,
          moduleKey: scope?.target.moduleKey ?? 'tasksource-jira-events',
        };
      },
      lambdaContext: { getRemainingTimeInMillis: () => tracker.remainingMillis() },
      metrics: noopMetrics,
      tracing: { traceId: randomUUID().replace(/-/g, ''), spanId: randomUUID().slice(0, 16) },
      proxy: {},
    };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? '/';
    const raw = await readBody(request);
    const [, remote = '', ...rest] = url.split('/');
    const path = `/${rest.join('/')}`;

    if (remote === 'jira') {
      const caller = callerOf(request);
      return reply(
        response,
        this.jira.handle(request.method ?? 'GET', path, parseJsonOr(raw, undefined), caller),
      );
    }
    if (remote === 'kvs')
      return reply(
        response,
        this.kvs.handle(path.split('?')[0] ?? '', parseJsonOr(raw, undefined)),
      );
    if (remote === 'stargate' && path.startsWith('/webhook/queue/publish/')) {
      return reply(response, this.queue.publish(parseJsonOr(raw, undefined)));
    }
    return reply(response, { status: 404, body: { message: `No local service at ${url}` } });
  }
}

function callerOf(request: IncomingMessage): Caller {
  const provider = String(request.headers['x-forge-provider'] ?? 'app');
  const accountId = request.headers['x-forge-account-id'];
  if (provider !== 'user' || typeof accountId !== 'string') return { provider, user: undefined };

  const permissions = String(request.headers['x-local-permissions'] ?? '')
    .split(',')
    .filter(Boolean);
  return { provider, user: { accountId, permissions } };
}

const noopMetrics = {
  counter: () => ({ incr: () => undefined, decr: () => undefined }),
  timing: () => ({ measure: () => ({ stop: () => undefined }) }),
  gauge: () => ({ set: () => undefined }),
};

function remoteOf(meta: ForgeFetchMeta): string {
  if (meta.type === 'kvs') return 'kvs';
  return meta.remote ?? 'unknown';
}

function reply(
  response: ServerResponse,
  answer: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  response.end(answer.status === 204 ? undefined : text);
}
