import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import type { TriggerFilter } from './trigger-filter';
import { compileTriggerFilter } from './trigger-filter';

/**
 * What the local runtime needs from `manifest.yml` to call the app as Forge would: which
 * function serves each trigger, queue consumer, scheduled trigger and resolver, the handler it
 * names (`functions/on-jira-event.onJiraEvent` → the `onJiraEvent` export of
 * `src/functions/on-jira-event.ts`), how long it may run (`timeoutSeconds`, else Forge's default
 * for the module kind, FORGE.md §7), and a trigger's `filter`, compiled once here so a filter
 * the local platform cannot judge stops it at start.
 */

export type ModuleKind = 'trigger' | 'consumer' | 'scheduled' | 'resolver';

export interface FunctionModule {
  /** The manifest module key, e.g. `tasksource-delivery-consumer`. */
  readonly moduleKey: string;
  readonly kind: ModuleKind;
  /** The manifest function key, e.g. `on-delivery-queue`. */
  readonly functionKey: string;
  /** The export the function's `handler` names, e.g. `onJiraEvent`. */
  readonly exportName: string;
  readonly timeoutSeconds: number;
}

export interface TriggerModule extends FunctionModule {
  readonly events: readonly string[];
  /** Applied before each invocation (`trigger-filter.ts`); undefined when there is none. */
  readonly filter: TriggerFilter | undefined;
}

export interface ConsumerModule extends FunctionModule {
  readonly queue: string;
}

export type ScheduleInterval = 'fiveMinute' | 'hour' | 'day' | 'week';

export interface ScheduledModule extends FunctionModule {
  readonly interval: ScheduleInterval;
  readonly intervalSeconds: number;
}

export interface ManifestModules {
  readonly triggers: readonly TriggerModule[];
  readonly consumers: readonly ConsumerModule[];
  readonly scheduled: readonly ScheduledModule[];
  /** Page modules with a resolver, by module key. */
  readonly resolvers: readonly FunctionModule[];
}

export const DEFAULT_TIMEOUT_SECONDS: Record<ModuleKind, number> = {
  trigger: 25,
  resolver: 25,
  consumer: 55,
  scheduled: 55,
};

export const INTERVAL_SECONDS: Record<ScheduleInterval, number> = {
  fiveMinute: 300,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
};

export const MANIFEST_PATH = join(__dirname, '..', '..', 'manifest.yml');

interface RawFunction {
  key: string;
  handler: string;
  timeoutSeconds?: number;
}

interface RawModule {
  key: string;
  function?: string;
  resolver?: { function?: string };
  events?: string[];
  filter?: unknown;
  queue?: string;
  interval?: ScheduleInterval;
}

export function readManifestModules(path = MANIFEST_PATH): ManifestModules {
  const manifest = parse(readFileSync(path, 'utf8')) as { modules?: Record<string, unknown> };
  const modules = (manifest.modules ?? {}) as Record<string, RawModule[] | RawFunction[]>;
  const functions = (modules.function ?? []) as RawFunction[];
  const bind = (module: RawModule, kind: ModuleKind, functionKey: string | undefined) =>
    bindFunction(module.key, kind, functionKey, functions);

  const list = (name: string) => (modules[name] ?? []) as RawModule[];
  const pages = Object.keys(modules).filter((name) => name.includes(':'));

  return {
    triggers: list('trigger').map((module) => ({
      ...bind(module, 'trigger', module.function),
      events: module.events ?? [],
      filter: compileTriggerFilter(module.filter, module.key),
    })),
    consumers: list('consumer').map((module) => ({
      ...bind(module, 'consumer', module.function),
      queue: module.queue ?? '',
    })),
    scheduled: list('scheduledTrigger').map((module) => scheduledModule(module, bind)),
    resolvers: pages.flatMap((name) =>
      list(name)
        .filter((module) => module.resolver?.function)
        .map((module) => bind(module, 'resolver', module.resolver?.function)),
    ),
  };
}

function scheduledModule(
  module: RawModule,
  bind: (module: RawModule, kind: ModuleKind, functionKey: string | undefined) => FunctionModule,
): ScheduledModule {
  const interval = module.interval ?? 'hour';
  const intervalSeconds = INTERVAL_SECONDS[interval];
  if (!intervalSeconds) {
    throw new Error(`[manifest] ${module.key}: unknown interval ${JSON.stringify(interval)}`);
  }

  return { ...bind(module, 'scheduled', module.function), interval, intervalSeconds };
}

function bindFunction(
  moduleKey: string,
  kind: ModuleKind,
  functionKey: string | undefined,
  functions: readonly RawFunction[],
): FunctionModule {
  const fn = functions.find((candidate) => candidate.key === functionKey);
  if (!fn) {
    throw new Error(`[manifest] ${moduleKey} names function ${functionKey}, which is not declared`);
  }

  const [file, exportName] = fn.handler.split('.');
  if (!file || !exportName) {
    throw new Error(
      `[manifest] Expected a handler like functions/on-jira-event.onJiraEvent, got ${fn.handler}`,
    );
  }
  return {
    moduleKey,
    kind,
    functionKey: fn.key,
    exportName,
    timeoutSeconds: fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS[kind],
  };
}
