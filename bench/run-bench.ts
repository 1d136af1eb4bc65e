import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FunctionBundle } from './bundle-sizes';
import { bundleHandler, bundleSource, measureBundles } from './bundle-sizes';

/**
 * `npm run bench [-- --json]`. Compiles the app and the benchmark to JavaScript (`tsc`, into
 * `.bench-build/`, removed afterwards), so what is measured is the code as Forge runs it, with
 * no TypeScript loader in the way. Then, each in a fresh process: the measurements
 * (`measure.ts`: calls per class of event, CPU against a floor, scale), and the cold start,
 * importing the trigger's handler file against importing `@forge/api`, `@forge/kvs` and zod
 * alone. Last, each function's bundle size (`bundle-sizes.ts`).
 */

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.bench-build');

interface Measured {
  events: number;
  perEvent: Record<string, Record<string, number>>;
  cpu: Record<string, number>;
  scale: { events: number; microsPerEvent: number }[];
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  compile();
  try {
    const measured = JSON.parse(run(join(OUT, 'bench', 'measure.js'))) as Measured;
    const coldStart = measureColdStart();
    const coldStartBundled = await measureBundledColdStart();
    const bundles = await measureBundles();
    const result = {
      events: measured.events,
      perEvent: measured.perEvent,
      cpu: measured.cpu,
      coldStart,
      coldStartBundled,
      scale: measured.scale,
      bundles,
    };
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : table(result));
  } finally {
    rmSync(OUT, { recursive: true, force: true });
  }
}

function compile(): void {
  rmSync(OUT, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      join(ROOT, 'bench', 'measure.ts'),
      join(ROOT, 'src', 'functions', 'on-jira-event.ts'),
      ...['--outDir', OUT, '--rootDir', ROOT, '--module', 'commonjs', '--target', 'ES2022'],
      ...['--strict', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule'],
      ...['--moduleResolution', 'node', '--types', 'node'],
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  // What the compiled code reads from the source tree: the manifest and the recorded captures.
  mkdirSync(join(OUT, 'test'), { recursive: true });
  symlinkSync(join(ROOT, 'test', 'fixtures'), join(OUT, 'test', 'fixtures'));
  symlinkSync(join(ROOT, 'manifest.yml'), join(OUT, 'manifest.yml'));
  symlinkSync(join(ROOT, 'node_modules'), join(OUT, 'node_modules'));
}

function run(script: string): string {
  return execFileSync(process.execPath, [script], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
}

/**
 * The trigger's import and the baseline's, each in a fresh process, alternating (so a machine
 * growing busier or quieter weighs on both alike); the median of each. As compiled by `tsc`:
 * one file per module, as the libraries come in `node_modules`.
 */
function measureColdStart() {
  const trigger = join(OUT, 'src', 'functions', 'on-jira-event.js');
  return compareImports(
    `require(${JSON.stringify(trigger)})`,
    "require('@forge/api'); require('@forge/kvs'); require('zod')",
  );
}

/**
 * The same comparison with both sides bundled the way Forge ships a function (one minified file,
 * `bundle-sizes.ts`): the trigger's handler file, against a file that imports all of
 * `@forge/api`, `@forge/kvs` and zod.
 */
async function measureBundledColdStart() {
  const trigger = join(OUT, 'trigger.bundle.js');
  const baseline = join(OUT, 'baseline.bundle.js');
  writeFileSync(trigger, (await bundleHandler(ROOT, 'functions/on-jira-event.onJiraEvent')).code);
  writeFileSync(baseline, await bundleSource(ROOT, BASELINE_SOURCE));
  return compareImports(
    `require(${JSON.stringify(trigger)})`,
    `require(${JSON.stringify(baseline)})`,
  );
}

const BASELINE_SOURCE = [
  "export * as api from '@forge/api';",
  "export * as kvs from '@forge/kvs';",
  "export * as z from 'zod';",
].join('\n');

function compareImports(triggerCode: string, baselineCode: string) {
  const triggerRuns: number[] = [];
  const baselineRuns: number[] = [];
  for (let run = 0; run < COLD_START_RUNS; run += 1) {
    triggerRuns.push(importMs(triggerCode));
    baselineRuns.push(importMs(baselineCode));
  }
  const triggerMs = median(triggerRuns);
  const baselineMs = median(baselineRuns);
  return {
    triggerMs: round(triggerMs),
    baselineMs: round(baselineMs),
    ratio: round(triggerMs / baselineMs),
  };
}

const COLD_START_RUNS = 11;

function importMs(code: string): number {
  const script = `const s = process.hrtime.bigint(); ${code}; process.stdout.write(String(Number(process.hrtime.bigint() - s) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT }).toString());
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function table(
  result: Measured & {
    coldStart: Record<string, number>;
    coldStartBundled: Record<string, number>;
    bundles: FunctionBundle[];
  },
): string {
  const columns = [
    'invocations',
    'jiraRequests',
    'kvsReads',
    'kvsWrites',
    'kvsKeysWritten',
    'queuePushes',
    'egress',
  ];
  const rows = Object.entries(result.perEvent).map(
    ([kind, counts]) =>
      `${kind.padEnd(42)} ${columns.map((c) => String(counts[c]).padStart(15)).join('')}`,
  );
  const { cpu, coldStart, coldStartBundled: bundled } = result;
  return [
    `${'class'.padEnd(42)} ${columns.map((c) => c.padStart(15)).join('')}`,
    ...rows,
    '',
    `cpu: pipeline ${cpu.pipelineMicros} µs, floor ${cpu.floorMicros} µs, ratio ${cpu.ratio}`,
    `cpu: platform minimum ${cpu.minimumMicros} µs, ${cpu.minimumRatio} × floor (floor + platform calls)`,
    `cpu: required steps ${cpu.requiredMicros} µs, ${cpu.requiredRatio} × floor (the rules' steps, back to back)`,
    `cold start: trigger ${coldStart.triggerMs} ms, baseline ${coldStart.baselineMs} ms, ratio ${coldStart.ratio}`,
    `cold start, bundled: trigger ${bundled.triggerMs} ms, baseline ${bundled.baselineMs} ms, ratio ${bundled.ratio}`,
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

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
