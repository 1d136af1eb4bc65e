import './platform/install-egress';

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { formatTable } from './replay/format-table';
import type { ReplayLine } from './replay/run-scenario';
import { runScenario } from './replay/run-scenario';
import { parseScenario, ScenarioError } from './replay/scenario';

/**
 * `npm start`: the bundled demo, as a table. `npm run replay -- <scenario.json> [--json]
 * [--target <url>]`: any scenario. Results go to stdout, logs to stderr. Exit codes: 0 the
 * scenario ran (whatever was or was not delivered), 2 bad arguments or scenario, 1 anything
 * unexpected.
 */

const USAGE = 'usage: npm run replay -- <scenario.json> [--json] [--target <url>]';
const DEMO = resolve(__dirname, 'scenarios/demo.json');

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  routeConsoleToStderr();
  exitQuietlyWhenStdoutCloses();
  process.env.LOG_LEVEL ??= 'warn';

  const [command, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'demo') return replay(DEMO, { json: false, target: undefined });
  if (command === 'replay') return replay(...parseReplayArgs(rest));
  throw new UsageError(USAGE);
}

function parseReplayArgs(args: string[]): [string, { json: boolean; target: string | undefined }] {
  let file: string | undefined;
  let json = false;
  let target: string | undefined;

  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--target') target = checkTarget(args[(index += 1)]);
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}; ${USAGE}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`one scenario at a time; ${USAGE}`);
  }
  if (!file) throw new UsageError(USAGE);
  return [file, { json, target }];
}

function checkTarget(value: string | undefined): string {
  if (!value || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`--target expects an http(s) URL, got ${JSON.stringify(value ?? '')}`);
  }
  return value;
}

async function replay(
  file: string,
  options: { json: boolean; target: string | undefined },
): Promise<number> {
  const scenario = parseScenario(readJson(file));
  const write = (line: ReplayLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

  const result = await runScenario(scenario, {
    target: options.target,
    onLine: options.json ? write : undefined,
  });
  await Promise.all([result.platform.close(), result.receiver.close()]);

  if (!options.json) process.stdout.write(`${formatTable(result.steps)}\n`);
  return 0;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ScenarioError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** `replay --json | head` closes stdout early; that ends the run, it is not an error. */
function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Keeps stdout for results: app logs written with `console.log` go to stderr here. */
function routeConsoleToStderr(): void {
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ScenarioError) {
      process.stderr.write(`replay: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `replay: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
