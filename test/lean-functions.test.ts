import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FunctionBundle } from '../bench/bundle-sizes';
import { measureBundles } from '../bench/bundle-sizes';

/**
 * Each function ships only what it runs (issue 5). A package counts as used by a function when
 * some path of that function calls it:
 * - the trigger, the queue consumer and reconciliation read Jira (`@forge/api`), keep records
 *   (`@forge/kvs`), queue changes and answer retries (`@forge/events`), check payloads (`zod`),
 *   and name a look-alike label as the reason an issue is not forwarded (`confusables`);
 * - the admin page's resolvers do the same, answer pages (`@forge/resolver`), and never
 *   compare labels; the project page's resolvers also refuse look-alike labels.
 * No function loads the pages themselves (React, UI Kit, the bridge, `src/frontend/`).
 */

const PACKAGE = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const DIRECT = new Set(Object.keys(PACKAGE.dependencies));

const FORWARDING = ['@forge/api', '@forge/events', '@forge/kvs', 'confusables', 'zod'];
const USES: Record<string, string[]> = {
  'on-jira-event': FORWARDING,
  'on-delivery-queue': FORWARDING,
  'on-reconcile': FORWARDING,
  'admin-page-resolver': ['@forge/api', '@forge/events', '@forge/kvs', '@forge/resolver', 'zod'],
  'project-page-resolver': [...FORWARDING, '@forge/resolver'].sort(),
};
const UI_PACKAGES = ['react', 'react-dom', '@forge/react', '@forge/bridge'];
const BACKGROUND = ['on-jira-event', 'on-delivery-queue', 'on-reconcile'];

let bundles: FunctionBundle[];
beforeAll(async () => {
  bundles = await measureBundles();
}, 60_000);

const bundleOf = (key: string) => bundles.find((bundle) => bundle.key === key)!;

describe('function bundles', () => {
  it('measure every function the manifest declares', () => {
    expect(bundles.map((bundle) => bundle.key).sort()).toEqual(Object.keys(USES).sort());
  });

  it.each(Object.entries(USES))('%s loads exactly the dependencies it uses', (key, uses) => {
    const direct = bundleOf(key).packages.filter((name) => DIRECT.has(name));

    expect(direct).toEqual(uses);
  });

  it.each(Object.keys(USES))('%s loads no UI code', (key) => {
    const { packages, sources } = bundleOf(key);

    expect(packages.filter((name) => UI_PACKAGES.includes(name))).toEqual([]);
    expect(packages.filter((name) => name.startsWith('@atlaskit/'))).toEqual([]);
    expect(sources.filter((file) => file.startsWith('src/frontend/'))).toEqual([]);
  });

  it.each(BACKGROUND)('%s loads no resolver or settings-page code', (key) => {
    const { packages, sources } = bundleOf(key);

    expect(packages).not.toContain('@forge/resolver');
    expect(sources.filter((file) => file.startsWith('src/settings/'))).toEqual([]);
    expect(sources.filter((file) => /resolver|page/.test(file))).toEqual([]);
  });

  it.each(Object.keys(USES))('%s carries only the parts of zod it uses, no locales', (key) => {
    // `import { z } from 'zod'` drags in every locale (about 350 kB more); `import * as z` not.
    expect(bundleOf(key).packageBytes.zod).toBeLessThan(150_000);
  });
});
