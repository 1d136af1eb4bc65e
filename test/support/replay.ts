import type { ReplayLine, ReplayOptions, ReplayResult } from '../../local/replay/run-scenario';
import { runScenario } from '../../local/replay/run-scenario';
import { parseScenario } from '../../local/replay/scenario';
import { makeSettings, SITE } from './builders';

/**
 * Runs a scenario on the local platform exactly as `npm run replay` does, and returns every
 * line plus what the platform holds afterwards. Servers are closed before it returns.
 */

export interface Replayed {
  lines: ReplayLine[];
  deliveries: Extract<ReplayLine, { type: 'delivery' }>[];
  skips: Extract<ReplayLine, { type: 'skip' }>[];
  kvs: ReturnType<ReplayResult['platform']['kvs']['snapshot']>;
  /** KVS as it was right after each `resolve` step, in order. */
  kvsAfterResolve: ReturnType<ReplayResult['platform']['kvs']['snapshot']>[];
  jiraRequests: string[];
  result: ReplayResult;
}

export async function replay(
  steps: unknown[],
  options: {
    /** `null` leaves settings out, as on a site where tasksource is not connected yet. */
    settings?: Record<string, unknown> | null;
    jira?: Record<string, unknown>;
    /** Users, projects and labels of the site (the scenario's `jira` block without issues). */
    jiraState?: Record<string, unknown>;
    target?: string;
    onStart?: ReplayOptions['onStart'];
  } = {},
): Promise<Replayed> {
  const scenario = parseScenario({
    ...(options.settings === null ? {} : { settings: options.settings ?? makeSettings() }),
    site: { cloudId: 'cloud-0001', baseUrl: SITE },
    ...(options.jira || options.jiraState
      ? { jira: { ...options.jiraState, ...(options.jira ? { issues: options.jira } : {}) } }
      : {}),
    steps,
  });
  const lines: ReplayLine[] = [];
  const kvsAfterResolve: Replayed['kvsAfterResolve'] = [];
  let platform: ReplayResult['platform'] | undefined;
  const result = await runScenario(scenario, {
    target: options.target,
    onStart: (started) => {
      platform = started.platform;
      options.onStart?.(started);
    },
    onLine: (line) => {
      lines.push(line);
      if (line.type === 'resolve' && platform) kvsAfterResolve.push(platform.kvs.snapshot());
    },
  });
  await Promise.all([result.platform.close(), result.receiver.close()]);

  return {
    lines,
    deliveries: lines.filter(
      (line): line is Extract<ReplayLine, { type: 'delivery' }> => line.type === 'delivery',
    ),
    skips: lines.filter(
      (line): line is Extract<ReplayLine, { type: 'skip' }> => line.type === 'skip',
    ),
    kvs: result.platform.kvs.snapshot(),
    kvsAfterResolve,
    jiraRequests: result.platform.jira.requests,
    result,
  };
}

/** The body of a delivery, typed loosely for field-by-field assertions. */
export function bodyOf(line: Extract<ReplayLine, { type: 'delivery' }>): Record<string, any> {
  return line.body as Record<string, any>;
}

/**
 * Runs a scenario's steps, then hands the still-running platform to `use` for calls a scenario
 * cannot express (several at the same moment, direct reads); closes everything afterwards.
 */
export async function withRunningScenario<T>(
  input: unknown,
  use: (result: ReplayResult) => Promise<T>,
): Promise<T> {
  const result = await runScenario(parseScenario(input));
  try {
    return await use(result);
  } finally {
    await Promise.all([result.platform.close(), result.receiver.close()]);
  }
}
