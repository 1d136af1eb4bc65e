import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';
import { parse } from 'yaml';

/**
 * What each function of `manifest.yml` ships: its handler file bundled with everything it
 * imports, the way Forge bundles every handler file on its own (`@forge/bundler`: one file per
 * entry point named in `modules.function.handler`). Forge bundles with webpack; this uses
 * esbuild, minified, for a comparable size in a second. Nothing is written: the bundles are
 * built in memory and only measured.
 */

export interface FunctionBundle {
  /** The manifest function key, e.g. `on-jira-event`. */
  readonly key: string;
  /** The handler as the manifest names it, e.g. `functions/on-jira-event.onJiraEvent`. */
  readonly handler: string;
  /** The handler file, relative to the project root. */
  readonly entry: string;
  /** The minified bundle. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every package in the import graph, sorted. */
  readonly packages: readonly string[];
  /** Bytes each package adds to the minified bundle (0 when all of it was tree-shaken). */
  readonly packageBytes: Readonly<Record<string, number>>;
  /** The app's own files in the import graph (under `src/`), sorted. */
  readonly sources: readonly string[];
}

const ROOT = join(__dirname, '..');
const HANDLER_EXTENSIONS = ['ts', 'tsx', 'js'];
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export async function measureBundles(root = ROOT): Promise<FunctionBundle[]> {
  const bundles = [];
  for (const fn of manifestFunctions(root)) bundles.push(await measureBundle(root, fn));
  return bundles;
}

async function measureBundle(
  root: string,
  fn: { key: string; handler: string },
): Promise<FunctionBundle> {
  const { entry, code, metafile } = await bundleHandler(root, fn.handler);
  const { packages, packageBytes, sources } = describeGraph(metafile);

  return {
    key: fn.key,
    handler: fn.handler,
    entry,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    packages,
    packageBytes,
    sources,
  };
}

/** One handler file bundled as Forge would ship it, in memory: its code and esbuild's metafile. */
export async function bundleHandler(
  root: string,
  handler: string,
): Promise<{ entry: string; code: Uint8Array; metafile: Metafile }> {
  const entry = handlerFile(root, handler);
  return { entry, ...(await bundle(root, { entryPoints: [entry] })) };
}

/** Source text bundled the same way, as if it were a handler file at the project root. */
export async function bundleSource(root: string, contents: string): Promise<Uint8Array> {
  const { code } = await bundle(root, { stdin: { contents, resolveDir: root, loader: 'ts' } });
  return code;
}

async function bundle(
  root: string,
  input: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
): Promise<{ code: Uint8Array; metafile: Metafile }> {
  const result = await build({
    ...input,
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: NODE_BUILTINS,
    logLevel: 'silent',
  });
  return {
    code: result.outputFiles[0]?.contents ?? new Uint8Array(),
    metafile: result.metafile,
  };
}

export function manifestFunctions(root: string): { key: string; handler: string }[] {
  const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
    modules?: { function?: { key: string; handler: string }[] };
  };
  return manifest.modules?.function ?? [];
}

/** `functions/on-jira-event.onJiraEvent` → `src/functions/on-jira-event.ts`. */
function handlerFile(root: string, handler: string): string {
  const file = handler.slice(0, handler.lastIndexOf('.'));
  const found = HANDLER_EXTENSIONS.map((ext) => `src/${file}.${ext}`).find((path) =>
    existsSync(join(root, path)),
  );
  if (!found) throw new Error(`[bundle] No file in src/ for handler ${handler}`);
  return found;
}

function describeGraph(metafile: Metafile) {
  const output = Object.values(metafile.outputs)[0];
  const packageBytes: Record<string, number> = {};
  const sources: string[] = [];

  for (const path of Object.keys(metafile.inputs)) {
    const name = packageOf(path);
    const bytes = output?.inputs[path]?.bytesInOutput ?? 0;
    if (name) packageBytes[name] = (packageBytes[name] ?? 0) + bytes;
    else if (path.startsWith('src/')) sources.push(path);
  }

  return { packages: Object.keys(packageBytes).sort(), packageBytes, sources: sources.sort() };
}

/** `../main/node_modules/@forge/api/out/index.js` → `@forge/api`; undefined for own files. */
function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;

  const [scope = '', name = ''] = path.slice(at + 'node_modules/'.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}
