import { invokeResolver } from '../local/replay/invoke-resolver';
import type { ReplayLine } from '../local/replay/run-scenario';
import { createKvsSettingsStore } from '../src/adapters/kvs-settings-store';
import { INTEGRATION, makeEvent, makeIssue, SITE } from './support/builders';
import { ADMIN, LEAD, PAGE_SITE, PAGE_WEBHOOK_URL, VIEWER } from './support/page-users';
import { bodyOf, replay, withRunningScenario } from './support/replay';

/**
 * The settings pages' resolvers on the local platform, called as given users through
 * `resolve` steps: configuring a site with no `settings` block, permission checks made as the
 * user, field-level refusals that write nothing, and credentials that never leave masked.
 */

const WEBHOOK_URL = PAGE_WEBHOOK_URL;
const jira = PAGE_SITE;

const admin = (call: string, payload?: unknown, as = ADMIN) => ({
  resolve: { module: 'admin', as, call, payload },
});
const project = (call: string, payload?: unknown, as = LEAD) => ({
  resolve: { module: 'project-settings', projectId: '10000', as, call, payload },
});
const connect = admin('admin/save', { webhookUrl: WEBHOOK_URL, integrationAccountId: INTEGRATION });
const pickLabel = project('project/save', { labels: ['acme-web'], enabled: true });

function resolves(lines: ReplayLine[]) {
  return lines.filter(
    (line): line is Extract<ReplayLine, { type: 'resolve' }> => line.type === 'resolve',
  );
}

async function run(steps: unknown[]) {
  return replay(steps, { settings: null, jiraState: jira });
}

describe('configuring a site through the pages only', () => {
  it('connects, picks a label, and the next outsourced issue is delivered', async () => {
    const issue = makeIssue();
    const { lines, deliveries } = await run([
      connect,
      pickLabel,
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
    ]);

    expect(resolves(lines).map((line) => [line.call, line.ok])).toEqual([
      ['admin/save', true],
      ['project/save', true],
    ]);
    expect(deliveries).toHaveLength(1);
    expect(bodyOf(deliveries[0]!).tasksource).toMatchObject({ state: 'outsourced', siteUrl: SITE });
    expect(deliveries[0]!.headers['user-agent']).toContain('tasksource-for-jira');
  });

  it('answers admin/get with the connection masked and the account by name', async () => {
    const { lines } = await run([connect, pickLabel, admin('admin/get')]);
    const view = resolves(lines)[2]!.data as Record<string, any>;

    expect(view).toMatchObject({
      canEdit: true,
      connected: true,
      webhookUrlMasked: 'https://api.tasksource.io/jira?companyId=••••abcd',
      integrationAccount: { accountId: INTEGRATION, displayName: 'tasksource Integrations' },
      integrationAccountCandidates: [
        { accountId: INTEGRATION, displayName: 'tasksource Integrations' },
      ],
      projects: [{ id: '10000', key: 'KAN', labels: ['acme-web'], enabled: true }],
    });
    expect(view.projects[0].settingsUrl).toMatch(
      /^https:\/\/example\.atlassian\.net\/jira\/software\/projects\/KAN\/settings\/apps\//,
    );
  });

  it('sends a signed test event and says in words what tasksource answered', async () => {
    const { lines, deliveries } = await run([
      connect,
      admin('admin/rotate-secret'),
      admin('admin/test'),
    ]);
    const result = resolves(lines)[2]!.data as Record<string, any>;

    expect(result).toMatchObject({ delivered: true, status: 200 });
    expect(result.message).toMatch(/^tasksource answered 200 in \d+ ms\.$/);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      verified: true,
      body: { webhookEvent: 'tasksource:ping' },
    });
  });
});

describe('who may change what', () => {
  it.each([
    [
      'the admin page without Jira administration',
      admin('admin/save', { webhookUrl: WEBHOOK_URL, integrationAccountId: INTEGRATION }, LEAD),
    ],
    [
      'a new signing secret without Jira administration',
      admin('admin/rotate-secret', undefined, VIEWER),
    ],
    [
      'project settings without Administer Projects',
      project('project/save', { labels: ['other-team'], enabled: false }, VIEWER),
    ],
  ])('refuses %s, and changes nothing', async (_, attempt) => {
    const { lines, kvsAfterResolve } = await run([connect, pickLabel, attempt]);

    const answer = resolves(lines)[2]!;
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((answer.error as { message: string }).message).toContain('Nothing was changed');
    expect(settingsIn(kvsAfterResolve[2]!)).toEqual(settingsIn(kvsAfterResolve[1]!));
  });

  it('shows the pages read-only to someone who may not change them', async () => {
    const { lines } = await run([
      connect,
      admin('admin/get', undefined, VIEWER),
      project('project/get', undefined, VIEWER),
    ]);

    expect(
      resolves(lines)
        .slice(1)
        .map((line) => (line.data as { canEdit: boolean }).canEdit),
    ).toEqual([false, false]);
  });

  it('changes only the project the page is open in, whatever the payload says', async () => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: ['acme-web'], enabled: true, projectId: '99999' }),
    ]);

    expect(resolves(lines)[1]).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('invalid input gets a clear, field-level error and writes nothing', () => {
  it.each([
    [
      'an http URL',
      admin('admin/save', {
        webhookUrl: 'http://api.tasksource.io/jira?companyId=x',
        integrationAccountId: INTEGRATION,
      }),
      'webhookUrl',
      'https',
    ],
    [
      'a foreign host',
      admin('admin/save', {
        webhookUrl: 'https://evil.example.com/jira?companyId=x',
        integrationAccountId: INTEGRATION,
      }),
      'webhookUrl',
      'api.tasksource.io',
    ],
    [
      'a URL without companyId',
      admin('admin/save', {
        webhookUrl: 'https://api.tasksource.io/jira',
        integrationAccountId: INTEGRATION,
      }),
      'webhookUrl',
      'companyId',
    ],
    [
      'an unknown integration account',
      admin('admin/save', { webhookUrl: WEBHOOK_URL, integrationAccountId: 'nobody' }),
      'integrationAccountId',
      'exists',
    ],
    [
      'a pasted secret that is not whsec_',
      admin('admin/save', {
        webhookUrl: WEBHOOK_URL,
        integrationAccountId: INTEGRATION,
        signingSecret: 'hunter2',
      }),
      'signingSecret',
      'whsec_',
    ],
    [
      'a label with a space',
      project('project/save', { labels: ['acme web'], enabled: true }),
      'labels.0',
      'without spaces',
    ],
    [
      'a look-alike label',
      project('project/save', { labels: ['Acme-web'], enabled: true }),
      'labels.0',
      'looks like the existing label "acme-web"',
    ],
    [
      'labels of the wrong type',
      project('project/save', { labels: 'acme-web', enabled: true }),
      'labels',
      'array',
    ],
    [
      'enabled of the wrong type',
      project('project/save', { labels: ['acme-web'], enabled: 'yes' }),
      'enabled',
      'boolean',
    ],
  ])('refuses %s', async (_, attempt, field, words) => {
    const { lines, kvsAfterResolve } = await run([connect, attempt]);

    const answer = resolves(lines)[1]!;
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((answer.error as { fields: Record<string, string> }).fields[field]).toContain(words);
    expect(settingsIn(kvsAfterResolve[1]!)).toEqual(settingsIn(kvsAfterResolve[0]!));
  });

  it('saves a look-alike label when asked to anyway', async () => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: ['Acme-web'], enabled: true, acceptLookalikes: true }),
    ]);

    expect(resolves(lines)[1]).toMatchObject({ ok: true, data: { labels: ['Acme-web'] } });
  });

  it('refuses an unknown resolver key', async () => {
    const { lines } = await run([admin('admin/delete-everything')]);

    expect(resolves(lines)[0]).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('admin/delete-everything') },
    });
  });
});

describe('the setup checklist', () => {
  it('is red with a fix for each missing step, then green once everything is done', async () => {
    const issue = makeIssue();
    const { lines } = await run([
      project('project/get'),
      connect,
      pickLabel,
      { jira: { issues: { '10021': issue } } },
      project('project/get'),
    ]);
    const [first, last] = [resolves(lines)[0]!, resolves(lines)[3]!].map(
      (line) =>
        (line.data as { checklist: { key: string; ok: boolean; message: string }[] }).checklist,
    );

    expect(first!.map((line) => [line.key, line.ok])).toEqual([
      ['connected', false],
      ['assignable', false],
      ['label', false],
      ['outsourced', true],
      ['events', false],
    ]);
    expect(first![0]!.message).toContain('webhook URL');
    expect(first![4]!.message).toContain('Save these settings');
    expect(last!.map((line) => line.ok)).toEqual([true, true, true, true, true]);
    expect(last![3]!.message).toBe('1 issue is outsourced right now.');
  });

  it('says how to fix an integration account that cannot be assigned issues', async () => {
    const restricted = {
      ...jira,
      projects: {
        '10000': { key: 'KAN', name: 'My Kanban Project', assignable: [LEAD.accountId] },
      },
    };
    const { lines } = await replay([connect, pickLabel, project('project/get')], {
      settings: null,
      jiraState: restricted,
    });
    const checklist = (
      resolves(lines)[2]!.data as { checklist: { key: string; ok: boolean; message: string }[] }
    ).checklist;

    expect(checklist[1]).toMatchObject({
      key: 'assignable',
      ok: false,
      message: expect.stringContaining('Project settings → People'),
    });
  });
});

describe('credentials', () => {
  it('never appear in logs, answers (beyond the masked form) or plain KVS values', async () => {
    const written: string[] = [];
    const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      }),
    );
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'debug';
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run([
        connect,
        admin('admin/rotate-secret'),
        admin('admin/get'),
        admin('admin/save', { integrationAccountId: INTEGRATION }),
        admin('admin/save', {
          webhookUrl: 'http://api.tasksource.io/jira?companyId=co-secret-4711abcd',
          integrationAccountId: INTEGRATION,
        }),
        admin('admin/test'),
        pickLabel,
        project('project/get'),
      ]);
    } finally {
      process.env.LOG_LEVEL = level;
      spies.forEach((spy) => spy.mockRestore());
    }

    const answers = resolves(result.lines);
    const secret = (answers[1]!.data as { signingSecret: string }).signingSecret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const everythingButTheOneTimeSecret = JSON.stringify([
      answers.slice(2),
      written,
      result.kvs.plain,
    ]);
    for (const credential of ['co-secret-4711abcd', WEBHOOK_URL, secret, secret.slice(6)]) {
      expect(everythingButTheOneTimeSecret.includes(credential)).toBe(false);
    }
    expect(JSON.stringify(result.kvs.secret)).toContain(secret);
  });
});

describe('answers a page can act on', () => {
  it('marks a look-alike refusal as one the page may confirm', async () => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: ['Acme-web'], enabled: true }),
    ]);

    expect(resolves(lines)[1]!.error).toMatchObject({
      code: 'invalid-input',
      confirm: 'lookalike-labels',
    });
  });

  it('names every bad field of the admin form at once', async () => {
    const { lines } = await run([admin('admin/save', { webhookUrl: 'http://x.example.com' })]);
    const fields = (resolves(lines)[0]!.error as { fields: Record<string, string> }).fields;

    expect(Object.keys(fields).sort()).toEqual(['integrationAccountId', 'webhookUrl']);
  });
});

describe('findings of the second break-it pass', () => {
  it('keeps the secret it showed when a rotation races a project save', async () => {
    await withRunningScenario(
      { jira, site: { cloudId: 'c', baseUrl: SITE }, steps: [connect] },
      async (result) => {
        const call = (request: Record<string, unknown>) =>
          invokeResolver(result.platform, SITE, request as never);
        const [rotated] = await Promise.all([
          call({ module: 'admin', as: ADMIN, call: 'admin/rotate-secret', payload: {} }),
          call({
            module: 'project-settings',
            projectId: '10000',
            as: LEAD,
            call: 'project/save',
            payload: { labels: ['acme-web'], enabled: true },
          }),
        ]);

        const stored = await createKvsSettingsStore().load();
        expect(rotated.ok && (rotated.data as { signingSecret: string }).signingSecret).toBe(
          stored.connection?.signingSecret,
        );
        expect(stored.projects['10000']?.labels).toEqual(['acme-web']);
      },
    );
  });

  it('answers each caller with their own permissions when calls overlap', async () => {
    await withRunningScenario(
      { jira, site: { cloudId: 'c', baseUrl: SITE }, steps: [connect] },
      async (result) => {
        const call = (request: Record<string, unknown>) =>
          invokeResolver(result.platform, SITE, request as never);
        const [viewerSave] = await Promise.all([
          call({
            module: 'project-settings',
            projectId: '10000',
            as: VIEWER,
            call: 'project/save',
            payload: { labels: ['x'], enabled: true },
          }),
          call({
            module: 'project-settings',
            projectId: '10000',
            as: LEAD,
            call: 'project/get',
            payload: {},
          }),
        ]);

        expect(viewerSave).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      },
    );
  });

  it('treats one endpoint typed two ways as one, so outsourced issues stay tracked', async () => {
    const issue = makeIssue();
    const respelled = admin('admin/save', {
      webhookUrl: 'https://API.tasksource.io:443/jira?companyId=co-secret-4711abcd#x',
      integrationAccountId: INTEGRATION,
    });
    const { deliveries } = await run([
      connect,
      pickLabel,
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
      respelled,
      { jira: { issues: { '10021': makeIssue({ assignee: null }) } } },
      {
        event: makeEvent('avi:jira:updated:issue', issue, { changelog: { id: '777', items: [] } }),
      },
    ]);

    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
  });

  it.each([
    ['a word joiner', 'acme\u2060-web'],
    ['a soft hyphen', 'acme-\u00adweb'],
    ['a Hangul filler', 'acme-web\u3164'],
  ])('refuses a label with %s, which nobody could see', async (_, label) => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: [label], enabled: true }),
    ]);

    expect(
      (resolves(lines)[1]!.error as { fields: Record<string, string> }).fields['labels.0'],
    ).toContain('invisible');
  });

  it.each([
    ['a modifier minus', 'acme\u02d7web'],
    ['a hyphen bullet', 'acme\u2043web'],
  ])('names the existing label behind %s', async (_, label) => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: [label], enabled: true }),
    ]);

    expect(resolves(lines)[1]!.error).toMatchObject({ confirm: 'lookalike-labels' });
  });

  it('flags two labels in one save that only differ by case', async () => {
    const { lines } = await run([
      connect,
      project('project/save', { labels: ['new-one', 'New-One'], enabled: true }),
    ]);

    expect(resolves(lines)[1]!.error).toMatchObject({ confirm: 'lookalike-labels' });
  });

  it.each([
    ['a blank companyId', 'https://api.tasksource.io/jira?companyId=%20'],
    ['two companyIds', 'https://api.tasksource.io/jira?companyId=abc&companyId=def'],
  ])('refuses a webhook URL with %s', async (_, webhookUrl) => {
    const { lines } = await run([
      admin('admin/save', { webhookUrl, integrationAccountId: INTEGRATION }),
    ]);

    expect(
      (resolves(lines)[0]!.error as { fields: Record<string, string> }).fields.webhookUrl,
    ).toContain('companyId');
  });

  it('refuses project labels that would outgrow the settings record, clearly and before writing', async () => {
    const heavy = (seed: string) =>
      Array.from({ length: 50 }, (_, index) => `${seed}${index}-${'😀'.repeat(120)}`);
    const steps = ['1', '2', '3', '4', '5'].map((seed) => ({
      resolve: {
        module: 'project-settings',
        projectId: `2000${seed}`,
        as: LEAD,
        call: 'project/save',
        payload: { labels: heavy(seed), enabled: true, acceptLookalikes: true },
      },
    }));
    const { lines } = await run([connect, ...steps, admin('admin/rotate-secret')]);
    const answers = resolves(lines);

    expect(
      answers.some(
        (line) =>
          !line.ok &&
          (line.error as { fields?: Record<string, string> }).fields?.labels?.includes('96 KiB'),
      ),
    ).toBe(true);
    expect(answers.at(-1)).toMatchObject({ ok: true });
  });
});

/**
 * What a settings call may change: the settings and anything but the reconciliation's own
 * state, which the first run a label save asks for writes in the background.
 */
function settingsIn(snapshot: { plain: Record<string, unknown>; secret: Record<string, unknown> }) {
  const plain = Object.entries(snapshot.plain).filter(([key]) => !key.startsWith('reconcile-'));
  return { secret: snapshot.secret, plain: Object.fromEntries(plain) };
}
