import { createKvsSettingsStore } from '../../src/adapters/kvs-settings-store';
import { ValidationError } from '../../src/core/errors';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../../src/core/project-flag';
import { saveConnectionSettings, saveProjectSettings } from '../../src/settings/settings-service';
import { setEgressRoutes } from '../platform/egress';
import { parseJsonOr } from '../platform/http-body';
import { LocalForgePlatform } from '../platform/local-forge-platform';
import type { EgressExchange } from '../platform/egress';
import { TasksourceReceiver } from '../receiver/tasksource-receiver';
import type { ResolveResult } from './invoke-resolver';
import { invokeResolver } from './invoke-resolver';
import { iso, noticeLines } from './notice-lines';
import type { ReplayLine } from './replay-line';
import { verifySignatures } from '../receiver/verify-signatures';
import type { Scenario, ScenarioStep, SingleStep } from './scenario';
import { ScenarioError } from './scenario';

/**
 * Runs a scenario against the real app on the local platform: settings through the app's
 * settings code, Jira state into the local Jira, each event into the manifest's trigger with the
 * context Forge would pass. Time moves only in `advance` steps; work that falls due now (a queue
 * push without a delay) runs at the end of the step that caused it. Trigger retries, queue
 * events and scheduled triggers wait for their due time on the emulated clock.
 */

export type { ReplayLine } from './replay-line';

export interface StepReport {
  readonly index: number;
  readonly step: ScenarioStep;
  readonly lines: ReplayLine[];
}

export interface ReplayOptions {
  /** Send deliveries here instead of the bundled receiver. */
  readonly target?: string;
  readonly onLine?: (line: ReplayLine) => void;
  /** Called once the local platform and receiver are up, before the first step. */
  readonly onStart?: (started: {
    platform: LocalForgePlatform;
    receiver: TasksourceReceiver;
  }) => void;
}

export interface ReplayResult {
  readonly steps: StepReport[];
  readonly platform: LocalForgePlatform;
  readonly receiver: TasksourceReceiver;
}

const DEFAULT_SITE = {
  cloudId: '00000000-0000-4000-8000-00000000c10d',
  baseUrl: 'https://example.atlassian.net',
};

/** Runs the scenario; the caller closes `platform` and `receiver` when done with them. */
export async function runScenario(
  scenario: Scenario,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const site = scenario.site ?? DEFAULT_SITE;
  const platform = await LocalForgePlatform.start({ cloudId: site.cloudId });
  const receiver = await TasksourceReceiver.start();
  const steps: StepReport[] = [];
  let current: ReplayLine[] = [];
  const emit = (line: ReplayLine) => {
    current.push(line);
    options.onLine?.(line);
  };

  try {
    options.onStart?.({ platform, receiver });
    platform.observe((notice) => noticeLines(notice).forEach(emit));
    const connect = () => followConnection(platform, receiver, options.target, emit);
    loadSite(platform, scenario);
    await applySettings(platform, scenario, site.baseUrl);
    applyProjectProperties(platform, scenario.jira?.projectProperties);
    await connect();

    const run = (step: SingleStep) =>
      runStep(step, { platform, receiver, siteUrl: site.baseUrl, emit, connect });
    for (const [index, step] of scenario.steps.entries()) {
      current = [];
      if ('parallel' in step) await Promise.all(step.parallel.map(run));
      else await run(step);
      await platform.runDue();
      steps.push({ index, step, lines: current });
    }
  } catch (error) {
    await Promise.all([platform.close(), receiver.close()]);
    throw error;
  }
  return { steps, platform, receiver };
}

function loadSite(platform: LocalForgePlatform, scenario: Scenario): void {
  const jira = scenario.jira ?? {};
  platform.jira.apply(jira.issues ?? {});
  platform.jira.directory.addUsers(jira.users ?? []);
  platform.jira.directory.addProjects(jira.projects ?? {});
  platform.jira.directory.addLabels(jira.labels ?? []);
}

/**
 * A scenario's `settings` block, saved through the same code the settings pages use. Each
 * project also gets the project flag a save from its page would have set, as site state; a
 * scenario's `jira.projectProperties` can take it away again (settings from an older version).
 */
async function applySettings(
  platform: LocalForgePlatform,
  scenario: Scenario,
  siteUrl: string,
): Promise<void> {
  if (!scenario.settings) return;

  const store = createKvsSettingsStore();
  const { projects, ...connection } = scenario.settings;
  await atPath('settings', () => saveConnectionSettings(store, { ...connection, siteUrl }));
  for (const [projectId, project] of Object.entries(projects)) {
    await atPath(`settings.projects.${projectId}`, () =>
      saveProjectSettings(store, projectId, project),
    );
    platform.jira.projectProperties.set(projectId, PROJECT_FLAG_KEY, PROJECT_FLAG);
  }
}

/** Project entity properties as a scenario sets them; `null` removes one. */
function applyProjectProperties(
  platform: LocalForgePlatform,
  properties: Record<string, Record<string, unknown>> | undefined,
): void {
  for (const [projectId, values] of Object.entries(properties ?? {})) {
    for (const [key, value] of Object.entries(values)) {
      platform.jira.projectProperties.set(projectId, key, value);
    }
  }
}

/**
 * Deliveries go wherever the saved connection points, as configured by the scenario's
 * settings or by `resolve` steps: to the bundled receiver, or to `--target`.
 */
async function followConnection(
  platform: LocalForgePlatform,
  receiver: TasksourceReceiver,
  target: string | undefined,
  emit: (line: ReplayLine) => void,
): Promise<void> {
  const connection = (await createKvsSettingsStore().load()).connection;
  if (!connection) return;

  routeWebhook(connection.webhookUrl, receiver, target, (exchange) =>
    emit(deliveryLine(exchange, connection.signingSecret, iso(platform.clock.now()))),
  );
  receiver.secret = connection.signingSecret;
}

function resolveLine(call: string, result: ResolveResult): ReplayLine {
  return result.ok
    ? { type: 'resolve', call, ok: true, data: result.data, error: null }
    : { type: 'resolve', call, ok: false, data: null, error: result.error };
}

/** Turns the settings code's field errors into scenario errors that name the path in the file. */
async function atPath<T>(prefix: string, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;

    const where = error.issues.map(
      (issue) => `${[prefix, issue.path].filter(Boolean).join('.')}: ${issue.message}`,
    );
    throw new ScenarioError(where.join('; '));
  }
}

/** Deliveries addressed to the configured webhook go to the bundled receiver, or `--target`. */
function routeWebhook(
  webhookUrl: string,
  receiver: TasksourceReceiver,
  target: string | undefined,
  observer: (exchange: EgressExchange) => void,
): void {
  const origin = new URL(webhookUrl).origin;
  const route = target
    ? { origin, to: target, keepPath: false }
    : { origin, to: receiver.url, keepPath: true };
  setEgressRoutes([route], observer);
}

interface StepContext {
  readonly platform: LocalForgePlatform;
  readonly receiver: TasksourceReceiver;
  readonly siteUrl: string;
  readonly emit: (line: ReplayLine) => void;
  readonly connect: () => Promise<void>;
}

async function runStep(step: SingleStep, context: StepContext): Promise<void> {
  const { platform, receiver, emit } = context;

  if ('jira' in step) {
    platform.jira.apply(step.jira.issues ?? {});
    applyProjectProperties(platform, step.jira.projectProperties);
    platform.jira.faults.add(
      (step.jira.faults ?? []).map(({ path, ...fault }) => ({ match: path, ...fault })),
    );
  } else if ('kvs' in step) {
    platform.kvs.faults.add(step.kvs.faults.map(({ op, ...fault }) => ({ match: op, ...fault })));
  } else if ('receiver' in step) {
    if (step.receiver.answer !== undefined) receiver.answerAlways(step.receiver.answer);
    receiver.respondWith(...(step.receiver.respond ?? []));
  } else if ('advance' in step) {
    await platform.advance(step.advance.seconds);
  } else if ('resolve' in step) {
    emit(
      resolveLine(step.resolve.call, await invokeResolver(platform, context.siteUrl, step.resolve)),
    );
    await context.connect();
  } else {
    await platform.fireTrigger(step.event);
  }
}

/** What the receiver got, as the app sent it, and whether both signatures check out. */
function deliveryLine(
  exchange: EgressExchange,
  secret: string | undefined,
  at: string,
): ReplayLine {
  const check = verifySignatures(secret, exchange.raw, exchange.headers);
  return {
    type: 'delivery',
    at,
    status: exchange.status,
    ...(exchange.failure ? { failure: exchange.failure } : {}),
    headers: exchange.headers,
    body: parseJsonOr(exchange.raw, exchange.raw),
    raw: exchange.raw,
    verified: check.hub && check.standard,
  };
}
