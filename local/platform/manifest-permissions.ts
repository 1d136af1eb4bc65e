import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { MANIFEST_PATH } from './manifest-modules';

/**
 * The scopes and egress the manifest declares, as the runtime reports them to the app
 * (`getAppContext().permissions`), with deploy-time variables filled in as `forge deploy` would.
 */
export function manifestPermissions(): { scopes: string[]; external: unknown } {
  const manifest = parse(readFileSync(MANIFEST_PATH, 'utf8')) as {
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
