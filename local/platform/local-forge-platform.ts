import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { parse } from 'yaml';

import { installEgressControl, platformFetch } from './egress';
import { parseJsonOr, readBody } from './http-body';
import { LocalJira } from './local-jira';
import type { ActingUser, Caller } from './local-jira-directory';
import { LocalKvs } from './local-kvs';

/**
 * The Forge platform on 127.0.0.1: what `@forge/api`, `@forge/kvs` and `@forge/events` reach
 * through the runtime's two globals (FORGE.md §13). `__forge_fetch__` sends each call over real
 * HTTP to one loopback server that plays Jira (`/jira/…`), KVS (`/kvs/…`) and the async events
 * queue (`/stargate/…`). The real modules run unmodified; nothing is mocked.
 */

export interface LocalForgePlatformOptions {
  readonly appId?: string;
  readonly installationId?: string;
  readonly cloudId?: string;
  readonly now?: () => number;
}

export interface QueuedEvent {
  readonly queueName: string;
  readonly body: unknown;
}

type ForgeFetchMeta = { type?: string; provider?: string; remote?: string; accountId?: string };

export class LocalForgePlatform {
  readonly jira = new LocalJira();
  readonly kvs: LocalKvs;
  readonly queued: QueuedEvent[] = [];
  readonly appId: string;
  readonly installationId: string;
  readonly cloudId: string;
  private server: Server | undefined;
  /** The user each running invocation acts for, as the Forge runtime binds it per invocation. */
  private readonly acting = new AsyncLocalStorage<ActingUser>();
  private baseUrl = '';

  constructor(options: LocalForgePlatformOptions = {}) {
    this.appId = options.appId ?? '3b905270-75db-4d3d-947c-61ecac670d37';
    this.installationId = options.installationId ?? 'local-installation-0001';
    this.cloudId = options.cloudId ?? '00000000-0000-4000-8000-00000000c10d';
    this.kvs = new LocalKvs(options.now);
  }

  static async start(options: LocalForgePlatformOptions = {}): Promise<LocalForgePlatform> {
    const platform = new LocalForgePlatform(options);
    await platform.listen();
    platform.installGlobals();
    return platform;
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
    const server = this.server;
    this.server = undefined;
    if (!server) return;

    await new Promise<void>((resolve) => server.close(() => resolve()));
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
    global.__forge_runtime__ = {
      appContext: {
        appId: this.appId,
        appVersion: '0.1.0',
        environmentId: 'local-environment',
        environmentType: 'DEVELOPMENT',
        installationId: this.installationId,
        invocationId: randomUUID(),
        moduleKey: 'tasksource-jira-events',
        permissions: manifestPermissions(),
      },
      lambdaContext: { getRemainingTimeInMillis: () => 25_000 },
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
      return reply(response, this.publish(parseJsonOr(raw, undefined)));
    }
    return reply(response, { status: 404, body: { message: `No local service at ${url}` } });
  }

  private publish(request: unknown): { status: number; body: unknown } {
    const { queueName, payload } = (request ?? {}) as {
      queueName?: string;
      payload?: { body?: unknown }[];
    };
    for (const event of payload ?? [])
      this.queued.push({ queueName: queueName ?? '', body: event.body });
    return { status: 201, body: {} };
  }
}

/**
 * The scopes and egress the manifest declares, as the runtime reports them to the app
 * (`getAppContext().permissions`), with deploy-time variables filled in as `forge deploy` would.
 */
function manifestPermissions(): { scopes: string[]; external: unknown } {
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as {
    permissions?: { scopes?: string[]; external?: unknown };
    environment?: { variables?: { key: string; default?: string }[] };
  };
  const defaults = Object.fromEntries(
    (manifest.environment?.variables ?? []).map((variable) => [
      variable.key,
      variable.default ?? '',
    ]),
  );
  const resolve = (text: string) =>
    text.replace(
      /\$\{([A-Z0-9_]+)\}/g,
      (_, name: string) => process.env[name] ?? defaults[name] ?? '',
    );
  const external = JSON.parse(resolve(JSON.stringify(manifest.permissions?.external ?? {})));
  return { scopes: manifest.permissions?.scopes ?? [], external };
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

const MANIFEST = join(__dirname, '..', '..', 'manifest.yml');

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
