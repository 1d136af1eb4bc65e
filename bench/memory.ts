// First: `@forge/api` takes the global `fetch` when it is first loaded.
import './in-process-egress';

import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { build } from 'esbuild';
import { parse } from 'yaml';

import { bundleHandler, manifestFunctions } from './bundle-sizes';
import { MemorySession, OutOfMemory } from './memory-session';
import type { Kind } from './memory-workloads';
import { DESCRIPTIONS, FULL, FUNCTIONS, KINDS, runWorkload, TRIAL } from './memory-workloads';

/**
 * `npm run bench:memory [-- --json]`: how much memory each function needs, the evidence for
 * `memoryMB` in `manifest.yml`.
 *
 * - Cold: a fresh Node.js process loading the function's bundle (as `bundle-sizes.ts` builds
 *   it), against Node.js alone: resident set size after a full GC.
 * - Workload: the function's heaviest work (`memory-workloads.ts`), run in a worker that holds
 *   only the app (all five handlers); the local Jira, KVS and queue answer from the main thread
 *   (`memory-session.ts`, `memory-channel.ts`), so the worker's heap is the app's. Heap used
 *   when loaded, at its peak, and kept after a full GC at the workload's midpoint and end (what
 *   a warm container carries into its next invocation; the same twice means nothing leaks).
 *   Also the slowest invocation, in wall-clock time.
 * - Heap limit: a shorter run of the same workload (`TRIAL`, with the heaviest invocations) in
 *   a worker whose old generation is capped from a ladder of sizes and young generation at
 *   8 MB: the lowest cap it completes under, and the next one down, which it does not. Near
 *   the boundary a run may land one step either way.
 *
 * Each workload and each search runs in a child process of its own, two at a time.
 */

const ROOT = join(__dirname, '..');
const MB = 1024 * 1024;
const LADDER_MB = [8, 12, 16, 24, 32, 48, 64, 96, 128];
/** Where the search for the lowest cap starts: above what the workloads keep after a GC. */
const FIRST_TRIAL_MB = 12;
/** Jobs run at once, one child process each: one per core. */
const PARALLEL = 2;

interface Row {
  readonly function: string;
  readonly workload: string;
  readonly invocations: number;
  readonly coldRssMB: number;
  readonly loadedHeapMB: number;
  readonly peakHeapMB: number;
  /** Kept after a full GC at the workload's midpoint, and at its end. */
  readonly keptMidMB: number;
  readonly keptEndMB: number;
  readonly slowestMs: number;
  readonly passesAtMB: number | null;
  readonly failsAtMB: number | null;
  readonly memoryMB: number | null;
  readonly seconds: number;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL = 'silent';
  const job = process.argv.indexOf('--job');
  if (job >= 0) {
    const [part, kind] = (process.argv[job + 1] ?? '').split(':') as [Part, Kind];
    process.stdout.write(`${JSON.stringify(await runJob(part, kind))}\n`);
    return;
  }

  const started = performance.now();
  const parts = await inChildren();
  const configured = configuredMemory();
  const rows = KINDS.map((kind): Row => {
    const key = FUNCTIONS[kind];
    const { seconds: measureSeconds, ...measured } = parts.get(`measure:${kind}`) as Measured;
    const { seconds: limitSeconds, ...limits } = parts.get(`limit:${kind}`) as Limits;
    return {
      function: key,
      workload: DESCRIPTIONS[kind],
      ...measured,
      ...limits,
      memoryMB: configured.get(key) ?? null,
      seconds: round(measureSeconds + limitSeconds),
    };
  });
  const result = {
    nodeRssMB: coldRssMB(''),
    rows,
    seconds: round((performance.now() - started) / 1000),
  };
  process.stdout.write(
    process.argv.includes('--json') ? `${JSON.stringify(result)}\n` : table(result),
  );
}

type Part = 'measure' | 'limit';
type Measured = Awaited<ReturnType<typeof measure>> & { coldRssMB: number; seconds: number };
type Limits = Awaited<ReturnType<typeof lowestLimit>> & { seconds: number };

/**
 * Every part of every kind in a child process of its own (a fresh heap), `PARALLEL` at a
 * time, the longest first: the trigger's measured run takes as long as the rest together.
 */
async function inChildren(): Promise<Map<string, unknown>> {
  const jobs = [
    'measure:trigger',
    ...KINDS.map((kind) => `limit:${kind}`),
    ...KINDS.filter((kind) => kind !== 'trigger').map((kind) => `measure:${kind}`),
  ];
  const results = new Map<string, unknown>();
  const next = async (): Promise<void> => {
    const job = jobs.shift();
    if (!job) return;
    const args = [...process.execArgv, __filename, '--job', job];
    const result = JSON.parse((await run(process.execPath, args)).stdout) as { seconds: number };
    process.stderr.write(`bench:memory: ${job} took ${result.seconds} s\n`);
    results.set(job, result);
    await next();
  };
  await Promise.all(Array.from({ length: PARALLEL }, next));
  return results;
}

async function runJob(part: Part, kind: Kind): Promise<Measured | Limits> {
  const started = performance.now();
  const worker = await bundleWorker();
  const seconds = () => round((performance.now() - started) / 1000);
  if (part === 'limit') return { ...(await lowestLimit(kind, worker)), seconds: seconds() };

  const handler = manifestFunctions(ROOT).find((fn) => fn.key === FUNCTIONS[kind])?.handler;
  const { code } = await bundleHandler(ROOT, handler ?? '');
  const measured = await measure(kind, worker);
  const cold = coldRssMB(Buffer.from(code).toString('utf8'));
  return { ...measured, coldRssMB: cold, seconds: seconds() };
}

async function measure(kind: Kind, worker: string) {
  const session = new MemorySession(worker);
  try {
    await runWorkload(kind, session, FULL);
    const end = await session.stats();
    return {
      invocations: session.invocations,
      loadedHeapMB: round(end.loadedBytes / MB),
      peakHeapMB: round(end.peakBytes / MB),
      keptMidMB: round((session.midpoint?.retainedBytes ?? Number.NaN) / MB),
      keptEndMB: round(end.retainedBytes / MB),
      slowestMs: Math.round(end.slowestMs),
    };
  } finally {
    await session.close();
  }
}

/**
 * The lowest cap on the ladder the workload completes under, and the one below it: starts at
 * `FIRST_TRIAL_MB`, then steps down while it completes, or up until it does.
 */
async function lowestLimit(kind: Kind, worker: string) {
  let index = LADDER_MB.indexOf(FIRST_TRIAL_MB);
  let passes: number | null = null;
  let fails: number | null = null;
  while (index >= 0 && index < LADDER_MB.length) {
    const limit = LADDER_MB[index] ?? 0;
    if (await completesUnder(kind, worker, limit)) {
      passes = limit;
      if (fails !== null) break;
      index -= 1;
    } else {
      fails = limit;
      if (passes !== null) break;
      index += 1;
    }
  }
  return { passesAtMB: passes, failsAtMB: fails };
}

async function completesUnder(kind: Kind, worker: string, limitMb: number): Promise<boolean> {
  const session = new MemorySession(worker, limitMb);
  try {
    await runWorkload(kind, session, TRIAL);
    return true;
  } catch (error) {
    if (error instanceof OutOfMemory) return false;
    throw error;
  } finally {
    await session.close();
  }
}

function run(file: string, args: string[]): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: ROOT, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve({ stdout });
    });
  });
}

/** The worker's code: `memory-worker.ts` and the app, bundled in memory like a function. */
async function bundleWorker(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['bench/memory-worker.ts'],
    bundle: true,
    write: false,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/**
 * Resident set size of a fresh Node.js process that has run `code`, after a full GC. `fetch`
 * is refused first, as everywhere in the benchmark; loading a bundle calls nothing anyway.
 */
function coldRssMB(code: string): number {
  const noFetch = "globalThis.fetch = async () => { throw new TypeError('no egress'); };";
  const probe = 'globalThis.gc();process.stdout.write(String(process.memoryUsage().rss));';
  const rss = execFileSync(process.execPath, ['--expose-gc', '-'], {
    cwd: ROOT,
    // A function scope, so the bundle's top-level names stay its own.
    input: `${noFetch}(function () {\n${code}\n})();${probe}`,
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return round(Number(rss.toString()) / MB);
}

/** `runtime.memoryMB` of each function in `manifest.yml`. */
function configuredMemory(): Map<string, number> {
  const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as {
    modules?: { function?: { key: string; runtime?: { memoryMB?: number } }[] };
  };
  return new Map(
    (manifest.modules?.function ?? []).flatMap((fn) =>
      fn.runtime?.memoryMB ? [[fn.key, fn.runtime.memoryMB] as const] : [],
    ),
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function table(result: { nodeRssMB: number; rows: Row[]; seconds: number }): string {
  const header = [
    'function'.padEnd(22),
    'invocations'.padStart(11),
    'cold RSS'.padStart(9),
    'heap: loaded'.padStart(13),
    'peak'.padStart(6),
    'kept: mid'.padStart(10),
    'end'.padStart(6),
    'completes under'.padStart(16),
    'slowest ms'.padStart(11),
    'memoryMB'.padStart(9),
  ].join(' ');
  const rows = result.rows.map((row) =>
    [
      row.function.padEnd(22),
      String(row.invocations).padStart(11),
      `${row.coldRssMB}`.padStart(9),
      `${row.loadedHeapMB}`.padStart(13),
      `${row.peakHeapMB}`.padStart(6),
      `${row.keptMidMB}`.padStart(10),
      `${row.keptEndMB}`.padStart(6),
      `${row.passesAtMB ?? '-'} (not ${row.failsAtMB ?? '-'})`.padStart(16),
      `${row.slowestMs}`.padStart(11),
      `${row.memoryMB ?? 'default'}`.padStart(9),
    ].join(' '),
  );
  return [
    'Sizes in MB. cold RSS: a fresh Node.js process with the bundle loaded',
    `(Node.js alone: ${result.nodeRssMB}); heap: the app's worker; completes under: the lowest`,
    'old-generation cap the workload completes under (and the next one down, which it does not).',
    '',
    header,
    ...rows,
    '',
    ...result.rows.map((row) => `${row.function}: ${row.workload} (${row.seconds} s)`),
    `total: ${result.seconds} s`,
    '',
  ].join('\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench:memory: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
