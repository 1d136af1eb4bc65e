// First: `@forge/api` takes the global `fetch` when it is first loaded.
import './in-process-egress';

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { measureBundles } from './bundle-sizes';
import { CLASSES, commentOf, outsourcedIssue, releaseOf, strangers, updateOf } from './event-mix';
import type { EventClass } from './event-mix';
import type { Counts } from './in-process-platform';
import { InProcessPlatform } from './in-process-platform';

/**
 * `npm run bench [-- --json]`: the real trigger handler on the in-process platform, over a
 * generated mix of events. Prints what each class of event costs in calls (Jira requests, KVS
 * reads and writes, queue pushes, egress), the pipeline's CPU time against a floor measured on
 * the same inputs, the cold start against importing the platform libraries alone, and the cost
 * per event at 1,000 and 100,000 events with 10,000 recorded issues.
 */

const SAMPLES = 25;
const CPU_EVENTS = 2_000;
const SCALE = [1_000, 100_000] as const;
const RECORDED_ISSUES = 10_000;
const ROOT = join(__dirname, '..');

type OnJiraEvent = (event: unknown, context: unknown) => Promise<unknown>;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  process.env.LOG_LEVEL = 'silent';
  const platform = new InProcessPlatform();
  platform.install();

  // Imported only now: `@forge/api` captures the global `fetch` when it is first loaded.
  const { onJiraEvent } = (await import('../src/entry/on-jira-event')) as {
    onJiraEvent: OnJiraEvent;
  };
  await configure();

  const perEvent = await measureClasses(platform, onJiraEvent);
  const cpu = await measureCpu(platform, onJiraEvent);
  const scale = await measureScale(platform, onJiraEvent);
  const coldStart = measureColdStart();
  const bundles = await measureBundles();
  const result = { events: eventsRun, perEvent, cpu, coldStart, scale, bundles };

  process.stdout.write(json ? `${JSON.stringify(result)}\n` : table(result));
}

let eventsRun = 0;

async function configure(): Promise<void> {
  const { createKvsSettingsStore } = await import('../src/adapters/kvs-settings-store');
  const { saveConnectionSettings, saveProjectSettings } =
    await import('../src/settings/settings-service');
  const { INTEGRATION, PROJECT, SECRET, SITE, WEBHOOK_URL } =
    await import('../test/support/builders');
  const store = createKvsSettingsStore();
  await saveConnectionSettings(store, {
    integrationAccountId: INTEGRATION,
    webhookUrl: WEBHOOK_URL,
    signingSecret: SECRET,
    siteUrl: SITE,
  });
  await saveProjectSettings(store, PROJECT, { labels: ['acme-web'], enabled: true });
}

/** Counts per event of each class, averaged over `SAMPLES` events. */
async function measureClasses(platform: InProcessPlatform, handle: OnJiraEvent) {
  const context = platform.triggerContext();
  const run = async (event: unknown) => {
    eventsRun += 1;
    await handle(event, context);
  };
  const perEvent = {} as Record<EventClass, Counts & { invocations: number }>;
  let n = 0;

  for (const kind of CLASSES) {
    const total: Counts = { jiraRequests: 0, kvsReads: 0, kvsWrites: 0, queuePushes: 0, egress: 0 };
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      n += 1;
      const measured = await prepareSample(kind, n, platform, run);
      const before = platform.counts();
      await run(measured);
      const after = platform.counts();
      for (const key of Object.keys(total) as (keyof Counts)[])
        total[key] += after[key] - before[key];
    }
    perEvent[kind] = {
      invocations: 1,
      ...(Object.fromEntries(
        Object.entries(total).map(([key, value]) => [key, value / SAMPLES]),
      ) as unknown as Counts),
    };
  }
  return perEvent;
}

/** Sets up Jira (and, where the class needs it, an earlier delivery) and returns the event. */
async function prepareSample(
  kind: EventClass,
  n: number,
  platform: InProcessPlatform,
  run: (event: unknown) => Promise<void>,
): Promise<unknown> {
  const issue = outsourcedIssue(n, 1);
  platform.jira.apply({ [String(issue.id)]: issue });

  switch (kind) {
    case 'unconfigured-project':
      platform.jira.apply({ '90001': strangers.unconfigured });
      return updateOf(strangers.unconfigured, n);
    case 'not-outsourced':
      platform.jira.apply({ '90002': strangers.someoneElses });
      return updateOf(strangers.someoneElses, n);
    case 'forwarded-issue':
      return updateOf(issue, n);
    case 'forwarded-comment':
      await run(updateOf(issue, n));
      return commentOf(issue, n + 1);
    case 'released': {
      await run(updateOf(issue, n));
      const unassigned = { ...issue, fields: { ...(issue.fields as object), assignee: null } };
      platform.jira.apply({ [String(issue.id)]: unassigned });
      return releaseOf(issue, n + 1);
    }
    case 'duplicate': {
      const event = updateOf(issue, n);
      await run(event);
      return event;
    }
  }
}

/**
 * Microseconds per forwarded change through the whole pipeline, against the floor: parsing
 * the event and Jira's answer, serialising the outbound body and computing its two signatures,
 * on the same inputs and nothing else.
 */
async function measureCpu(platform: InProcessPlatform, handle: OnJiraEvent) {
  const { parseJiraEvent } = await import('../src/core/jira-event');
  const { SECRET } = await import('../test/support/builders');
  const context = platform.triggerContext();
  const events = Array.from({ length: CPU_EVENTS }, (_, i) => {
    const issue = outsourcedIssue(500_000 + i);
    platform.jira.apply({ [String(issue.id)]: issue });
    return { event: updateOf(issue, 500_000 + i), issueText: JSON.stringify(issue) };
  });

  // CPU time, not wall time: waiting on the platform's promises is not the app's work.
  const started = process.cpuUsage();
  for (const { event } of events) await handle(event, context);
  const pipelineMicros = cpuMicros(started) / CPU_EVENTS;
  eventsRun += CPU_EVENTS;

  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const floorStarted = process.cpuUsage();
  for (const { event, issueText } of events) {
    parseJiraEvent(structuredClone(event));
    const issue = JSON.parse(issueText) as Record<string, unknown>;
    const body = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_updated', issue });
    createHmac('sha256', SECRET).update(body).digest('hex');
    createHmac('sha256', key).update(`id.1.${body}`).digest('base64');
  }
  const floorMicros = cpuMicros(floorStarted) / CPU_EVENTS;

  return {
    pipelineMicros: round(pipelineMicros),
    floorMicros: round(floorMicros),
    ratio: round(pipelineMicros / floorMicros),
  };
}

/** Per-event cost of a busy site's mix, with `RECORDED_ISSUES` issues recorded. */
async function measureScale(platform: InProcessPlatform, handle: OnJiraEvent) {
  const context = platform.triggerContext();
  for (let i = 0; i < RECORDED_ISSUES; i += 1) {
    const issue = outsourcedIssue(1_000_000 + i);
    platform.jira.apply({ [String(issue.id)]: issue });
    await handle(updateOf(issue, 1_000_000 + i), context);
  }
  eventsRun += RECORDED_ISSUES;

  const results = [];
  let n = 3_000_000;
  for (const events of SCALE) {
    const started = performance.now();
    for (let i = 0; i < events; i += 1) {
      n += 1;
      // Mostly issues nobody outsourced, as on a real site; one in twenty is outsourced.
      const issue =
        i % 20 === 0 ? outsourcedIssue(1_000_000 + (i % RECORDED_ISSUES)) : strangers.someoneElses;
      await handle(updateOf(issue, n), context);
    }
    eventsRun += events;
    results.push({
      events,
      microsPerEvent: round(((performance.now() - started) * 1000) / events),
    });
  }
  return results;
}

/** Importing the trigger in a fresh process, against importing `@forge/api`, `@forge/kvs`, zod. */
function measureColdStart() {
  const out = join(ROOT, '.bench-build');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      join(ROOT, 'src', 'entry', 'on-jira-event.ts'),
      ...['--outDir', out, '--rootDir', ROOT, '--module', 'commonjs', '--target', 'ES2022'],
      ...['--strict', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule'],
      ...['--moduleResolution', 'node', '--types', 'node'],
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const trigger = join(out, 'src', 'entry', 'on-jira-event.js');
  const triggerMs = median(() => importMs(`require(${JSON.stringify(trigger)})`));
  const baselineMs = median(() =>
    importMs("require('@forge/api'); require('@forge/kvs'); require('zod')"),
  );
  rmSync(out, { recursive: true, force: true });
  return {
    triggerMs: round(triggerMs),
    baselineMs: round(baselineMs),
    ratio: round(triggerMs / baselineMs),
  };
}

function importMs(code: string): number {
  const script = `const s = process.hrtime.bigint(); ${code}; process.stdout.write(String(Number(process.hrtime.bigint() - s) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT }).toString());
}

function median(sample: () => number, runs = 7): number {
  const values = Array.from({ length: runs }, sample).sort((a, b) => a - b);
  return values[Math.floor(runs / 2)] ?? Number.NaN;
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function table(result: {
  events: number;
  perEvent: Record<string, object>;
  cpu: Record<string, number>;
  coldStart: Record<string, number>;
  scale: { events: number; microsPerEvent: number }[];
  bundles: { key: string; bytes: number; gzipBytes: number; packages: readonly string[] }[];
}): string {
  const columns = ['jiraRequests', 'kvsReads', 'kvsWrites', 'queuePushes', 'egress'];
  const rows = Object.entries(result.perEvent).map(
    ([kind, counts]: [string, object]) =>
      `${kind.padEnd(22)} ${columns.map((c) => String((counts as Record<string, number>)[c]).padStart(12)).join('')}`,
  );
  return [
    `${'class'.padEnd(22)} ${columns.map((c) => c.padStart(12)).join('')}`,
    ...rows,
    '',
    `cpu: pipeline ${result.cpu.pipelineMicros} µs, floor ${result.cpu.floorMicros} µs, ratio ${result.cpu.ratio}`,
    `cold start: trigger ${result.coldStart.triggerMs} ms, baseline ${result.coldStart.baselineMs} ms, ratio ${result.coldStart.ratio}`,
    ...result.scale.map((s) => `scale: ${s.events} events, ${s.microsPerEvent} µs per event`),
    `events: ${result.events}`,
    '',
    `${'function bundle'.padEnd(22)} ${'bytes'.padStart(12)}${'gzip'.padStart(12)}  packages`,
    ...result.bundles.map(
      (b) =>
        `${b.key.padEnd(22)} ${String(b.bytes).padStart(12)}${String(b.gzipBytes).padStart(12)}  ${b.packages.join(' ')}`,
    ),
    '',
  ].join('\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
