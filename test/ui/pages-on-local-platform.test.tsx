import { LocalForgePlatform } from '../../local/platform/local-forge-platform';
import type { ResolveRequest } from '../../local/replay/invoke-resolver';
import { invokeResolver } from '../../local/replay/invoke-resolver';
import { ADMIN_KEYS, PROJECT_KEYS } from '../../src/settings/page-contract';
import type { FakeResolvers } from './support/forge-page';
import { openPage } from './support/forge-page';
import {
  button,
  dynamicTable,
  errorMessages,
  fieldAround,
  form,
  inputLabelled,
  labelBindings,
  ofType,
  pageText,
  sectionMessages,
} from './support/forge-doc';
import { typed } from './support/views';
import { createKvsDeadLetters } from '../../src/adapters/kvs-dead-letters';
import { createLogger } from '../../src/core/logger';
import { INTEGRATION } from '../support/builders';
import { makeDeadLetter } from '../support/delivery-records';
import { ADMIN, LEAD, PAGE_WEBHOOK_URL, VIEWER } from '../support/page-users';

/**
 * Both pages against the real resolvers on the local platform (127.0.0.1 only): what the UI
 * sends is what the resolvers accept, and what they answer is what the UI reads.
 */

const SITE = 'https://example.atlassian.net';
const WEBHOOK_URL = PAGE_WEBHOOK_URL;

let platform: LocalForgePlatform;

beforeEach(async () => {
  platform = await LocalForgePlatform.start();
  platform.jira.directory.addUsers([
    { accountId: INTEGRATION, displayName: 'tasksource Integrations' },
    { accountId: ADMIN.accountId, displayName: 'Ada Admin' },
    { accountId: LEAD.accountId, displayName: 'Pat Lead' },
  ]);
  platform.jira.directory.addProjects({ '10000': { key: 'KAN', name: 'My Kanban Project' } });
  platform.jira.directory.addLabels(['acme-web', 'other-team']);
});

afterEach(() => platform.close());

type Caller = ResolveRequest['as'];

function resolversFor(module: ResolveRequest['module'], as: Caller): FakeResolvers {
  const keys = module === 'admin' ? ADMIN_KEYS : PROJECT_KEYS;
  const projectId = module === 'project-settings' ? '10000' : undefined;
  return Object.fromEntries(
    keys.map((call) => [
      call,
      (payload: unknown) =>
        invokeResolver(platform, SITE, { module, projectId, as, call, payload }),
    ]),
  );
}

const openAdmin = (as: Caller) =>
  openPage(() => import('../../src/frontend/admin-page'), { resolvers: resolversFor('admin', as) });

const openProject = (as: Caller) =>
  openPage(() => import('../../src/frontend/project-settings-page'), {
    context: { extension: { project: { id: '10000', key: 'KAN' } } },
    resolvers: resolversFor('project-settings', as),
  });

async function connect() {
  const answer = await invokeResolver(platform, SITE, {
    module: 'admin',
    as: ADMIN,
    call: 'admin/save',
    payload: { webhookUrl: WEBHOOK_URL, integrationAccountId: INTEGRATION },
  });
  expect(answer.ok).toBe(true);
}

describe('the pages on the local platform', () => {
  it('lets an admin connect tasksource and shows the URL only masked afterwards', async () => {
    const page = await openAdmin(ADMIN);
    expect(pageText(page.tree())).toContain('Not connected');

    const account = inputLabelled(page.tree(), 'Integration account');
    expect(account.props.options).toEqual([
      { label: 'tasksource Integrations', value: INTEGRATION },
    ]);
    await page.fire(account.props.onChange, {
      label: 'tasksource Integrations',
      value: INTEGRATION,
    });
    await page.fire(
      inputLabelled(page.tree(), 'tasksource webhook URL').props.onChange,
      typed(WEBHOOK_URL),
    );
    await page.fire(form(page.tree()).props.onSubmit);

    const text = pageText(page.tree());
    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'Settings saved' }),
    );
    expect(text).toContain('Connected');
    expect(text).not.toContain('co-secret-4711abcd');
    expect(inputLabelled(page.tree(), 'tasksource webhook URL').props.placeholder).toMatch(
      /^https:\/\/api\.tasksource\.io\/jira\?companyId=/,
    );

    await page.fire(button(page.tree(), 'Generate new signing secret').props.onClick);
    const secret = /whsec_[A-Za-z0-9+/=]+/.exec(pageText(page.tree()))?.[0] ?? '';
    expect(secret.length).toBeGreaterThan(30);

    await page.fire(button(page.tree(), 'I have pasted it into tasksource').props.onClick);
    expect(pageText(page.tree())).not.toContain(secret);
  });

  it('shows the admin resolver’s field errors under the fields', async () => {
    const page = await openAdmin(ADMIN);
    const account = inputLabelled(page.tree(), 'Integration account');
    const url = inputLabelled(page.tree(), 'tasksource webhook URL');

    await page.fire(account.props.onChange, { label: 'Somebody', value: '712020:nobody' });
    await page.fire(url.props.onChange, typed('https://evil.example/jira'));
    await page.fire(form(page.tree()).props.onSubmit);

    const tree = page.tree();
    expect(errorMessages(fieldAround(tree, url.props.id))).toHaveLength(1);
    expect(errorMessages(fieldAround(tree, account.props.id))).toEqual([
      'expected an account that exists on this site; pick it from the list',
    ]);
    expect(sectionMessages(tree)).toEqual([
      expect.objectContaining({ appearance: 'error', title: 'Some settings need fixing' }),
    ]);
  });

  it('lets a project admin save a look-alike label only after saying so', async () => {
    await connect();
    const page = await openProject(LEAD);
    expect(pageText(page.tree())).toContain('tasksource for KAN');
    expect(pageText(page.tree())).toContain('Done tasksource is connected.');

    await page.fire(inputLabelled(page.tree(), 'New label').props.onChange, typed('Acme-web'));
    await page.fire(button(page.tree(), 'Add label').props.onClick);
    await page.fire(form(page.tree()).props.onSubmit);

    expect(sectionMessages(page.tree())).toEqual([
      expect.objectContaining({ title: 'Some labels only look like existing ones' }),
    ]);
    expect(pageText(page.tree())).toContain('"Acme-web" looks like the existing label "acme-web"');

    await page.fire(button(page.tree(), 'Save anyway').props.onClick);

    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'Settings saved' }),
    );
    expect(
      inputLabelled(page.tree(), 'Labels that mark an issue for tasksource').props.value,
    ).toEqual([{ label: 'Acme-web', value: 'Acme-web' }]);
  });

  it('is read-only for a user without the Administer Projects permission', async () => {
    const page = await openProject(VIEWER);

    expect(pageText(page.tree())).toContain('You need the Administer Projects permission');
    for (const { input } of labelBindings(page.tree())) expect(input?.props.isDisabled).toBe(true);
    expect(ofType(page.tree(), 'LoadingButton')).toEqual([]);
  });

  it('resends a dead letter from the admin page’s table through the real resolver', async () => {
    await connect();
    await invokeResolver(platform, SITE, {
      module: 'project-settings',
      projectId: '10000',
      as: LEAD,
      call: 'project/save',
      payload: { labels: ['acme-web'], enabled: true },
    });
    const letter = makeDeadLetter();
    await createKvsDeadLetters(createLogger({ level: 'silent' })).add(letter);
    const page = await openAdmin(ADMIN);
    // The log loads once the page has its view: a second round of answers.
    await page.settle();
    expect(dynamicTable(page.tree()).rows.map((row) => row.texts[3])).toEqual(['Dead letter']);

    await page.fire(button(page.tree(), 'Resend').props.onClick);

    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'KAN-22 is sent again' }),
    );
    expect(Object.keys(platform.kvs.snapshot().plain)).not.toContain(`dead:${letter.deliveryId}`);
    expect(platform.queued.map((event) => event.body)).toContainEqual({
      type: 'issue',
      issueId: letter.issueId,
    });
    expect(dynamicTable(page.tree()).rows.map((row) => [row.texts[1], row.texts[3]])).toEqual([
      ['KAN-22', 'Retrying'],
    ]);
  });
});
