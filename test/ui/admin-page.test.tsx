import type { AdminSavePayload, AdminView } from '../../src/settings/page-contract';
import type { FakeResolvers } from './support/forge-page';
import { openPage } from './support/forge-page';
import {
  button,
  buttons,
  errorMessages,
  fieldAround,
  form,
  inputLabelled,
  labelBindings,
  ofType,
  pageText,
  sectionMessages,
  textOf,
} from './support/forge-doc';
import {
  INTEGRATION,
  OTHER_BOT,
  adminView,
  deliveryList,
  ok,
  refused,
  typed,
} from './support/views';

const URL_LABEL = 'tasksource webhook URL';
const ACCOUNT_LABEL = 'Integration account';
const SECRET_LABEL = 'Existing signing secret (optional)';
const FULL_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function openAdmin(view: AdminView, resolvers: FakeResolvers = {}) {
  return openPage(() => import('../../src/frontend/admin-page'), {
    resolvers: {
      'admin/get': () => ok(view),
      'admin/deliveries': () => ok(deliveryList()),
      ...resolvers,
    },
  });
}

describe('admin page', () => {
  it('binds every label to its input through getFieldId', async () => {
    const page = await openAdmin(adminView());

    const bindings = labelBindings(page.tree());
    expect(bindings.map(({ label }) => label)).toEqual([URL_LABEL, ACCOUNT_LABEL, SECRET_LABEL]);
    for (const { input } of bindings) expect(input?.type).toMatch(/^(Textfield|Select)$/);
    // UserPicker takes no id; it carries its own label.
    const [picker] = ofType(page.tree(), 'UserPicker');
    expect(picker?.props.label).toBe('Not in the list? Find the account by name');
  });

  it('shows the saved URL only masked and keeps it when the field is left empty', async () => {
    const saved: AdminSavePayload[] = [];
    const page = await openAdmin(adminView(), {
      'admin/save': (payload) => {
        saved.push(payload as AdminSavePayload);
        return ok(adminView());
      },
    });

    const url = inputLabelled(page.tree(), URL_LABEL);
    expect(url.props.placeholder).toBe('https://api.tasksource.io/jira?companyId=••••2f1c');
    expect(url.props.defaultValue).toBeUndefined();
    expect(textOf(fieldAround(page.tree(), url.props.id))).toContain('Leave empty to keep it.');

    await page.fire(form(page.tree()).props.onSubmit);

    expect(saved).toEqual([{ integrationAccountId: INTEGRATION.accountId }]);
  });

  it('saves a new URL, account and pasted secret, then shows the saved settings', async () => {
    const newMask = 'https://api.tasksource.io/jira?companyId=••••9a0b';
    const page = await openAdmin(adminView(), {
      'admin/save': () =>
        ok(adminView({ webhookUrlMasked: newMask, integrationAccount: OTHER_BOT })),
    });

    const tree = page.tree();
    await page.fire(
      inputLabelled(tree, URL_LABEL).props.onChange,
      typed(' https://api.tasksource.io/jira?companyId=c-9a0b '),
    );
    await page.fire(inputLabelled(tree, ACCOUNT_LABEL).props.onChange, {
      label: OTHER_BOT.displayName,
      value: OTHER_BOT.accountId,
    });
    await page.fire(
      inputLabelled(tree, SECRET_LABEL).props.onChange,
      typed(FULL_SECRET, 'password'),
    );
    await page.fire(form(page.tree()).props.onSubmit);

    expect(page.invocations.at(-1)).toEqual({
      key: 'admin/save',
      payload: {
        webhookUrl: 'https://api.tasksource.io/jira?companyId=c-9a0b',
        integrationAccountId: OTHER_BOT.accountId,
        signingSecret: FULL_SECRET,
      },
    });
    const after = page.tree();
    expect(sectionMessages(after)).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'Settings saved' }),
    );
    expect(inputLabelled(after, URL_LABEL).props.placeholder).toBe(newMask);
    expect(inputLabelled(after, ACCOUNT_LABEL).props.value).toEqual({
      label: OTHER_BOT.displayName,
      value: OTHER_BOT.accountId,
    });
    expect(pageText(after)).not.toContain(FULL_SECRET);
  });

  it('takes the integration account from the user picker when Jira hides it from the list', async () => {
    const hidden = { id: '712020:hidden', name: 'tasksource Integration', email: '' };
    const page = await openAdmin(adminView({ integrationAccountCandidates: [] }), {
      'admin/save': () => ok(adminView()),
    });

    await page.fire(ofType(page.tree(), 'UserPicker')[0]?.props.onChange, hidden);
    await page.fire(form(page.tree()).props.onSubmit);

    expect(page.invocations.at(-1)?.payload).toEqual({ integrationAccountId: '712020:hidden' });
  });

  it('shows the display name of the saved integration account, not its id', async () => {
    const page = await openAdmin(adminView());

    const account = inputLabelled(page.tree(), ACCOUNT_LABEL);
    expect(account.props.value).toEqual({ label: 'tasksource Bot', value: INTEGRATION.accountId });
    expect(account.props.options).toEqual([
      { label: 'tasksource Bot', value: INTEGRATION.accountId },
      { label: 'tasksource Staging', value: OTHER_BOT.accountId },
    ]);
  });

  it('shows each field error under its field after a refused save', async () => {
    const page = await openAdmin(adminView({ integrationAccount: null }), {
      'admin/save': () =>
        refused({
          code: 'invalid-input',
          message: 'Some settings are not valid.',
          fields: {
            webhookUrl: 'expected an https URL',
            integrationAccountId: 'expected the integration account',
            connectionId: 'expected a stored connection',
          },
        }),
    });

    await page.fire(form(page.tree()).props.onSubmit);

    const tree = page.tree();
    const urlField = fieldAround(tree, inputLabelled(tree, URL_LABEL).props.id);
    const accountField = fieldAround(tree, inputLabelled(tree, ACCOUNT_LABEL).props.id);
    expect(errorMessages(urlField)).toEqual(['expected an https URL']);
    expect(errorMessages(accountField)).toEqual(['expected the integration account']);
    expect(sectionMessages(tree)).toContainEqual({
      appearance: 'error',
      title: 'Some settings need fixing',
      text: 'Some settings are not valid. connectionId: expected a stored connection',
    });
  });

  it('says clearly when saving is forbidden', async () => {
    const page = await openAdmin(adminView(), {
      'admin/save': () =>
        refused({ code: 'forbidden', message: 'Only Jira administrators can change this.' }),
    });

    await page.fire(form(page.tree()).props.onSubmit);

    expect(sectionMessages(page.tree())).toContainEqual({
      appearance: 'error',
      title: 'You are not allowed to change these settings',
      text: 'Only Jira administrators can change this.',
    });
  });

  it('is read-only without Jira administration permission', async () => {
    const page = await openAdmin(adminView({ canEdit: false }));

    const tree = page.tree();
    expect(sectionMessages(tree)).toContainEqual({
      appearance: 'warning',
      title: 'Read only',
      text: 'You need Jira administration permission to change these settings.',
    });
    for (const { input } of labelBindings(tree)) expect(input?.props.isDisabled).toBe(true);
    expect(buttons(tree, 'Save')).toEqual([]);
    expect(ofType(tree, 'UserPicker')).toEqual([]);
    expect(button(tree, 'Generate new signing secret').props.isDisabled).toBe(true);
    expect(button(tree, 'Send test event').props.isDisabled).toBe(true);
  });

  it('shows a generated signing secret once, then only masked', async () => {
    const page = await openAdmin(adminView(), {
      'admin/rotate-secret': () =>
        ok({ signingSecret: FULL_SECRET, signingSecretMasked: 'whsec_••••LaSw' }),
    });
    expect(pageText(page.tree())).toContain('Deliveries are signed with whsec_••••Jk2=.');

    await page.fire(button(page.tree(), 'Generate new signing secret').props.onClick);

    const shown = sectionMessages(page.tree()).find((message) =>
      message.text.includes(FULL_SECRET),
    );
    expect(shown).toMatchObject({
      appearance: 'warning',
      title: 'Copy the new signing secret now',
    });
    expect(shown?.text).toContain('Paste it into tasksource');
    expect(pageText(page.tree())).toContain('Deliveries are signed with whsec_••••LaSw.');

    await page.fire(button(page.tree(), 'I have pasted it into tasksource').props.onClick);

    expect(pageText(page.tree())).not.toContain(FULL_SECRET);
    expect(pageText(page.tree())).toContain('Deliveries are signed with whsec_••••LaSw.');
  });

  it.each([
    [
      true,
      'success',
      'tasksource received the test event',
      'tasksource answered 200 OK in 143 ms.',
    ],
    [false, 'error', 'The test event was not delivered', 'tasksource answered 401 Unauthorized.'],
  ])('shows the test event result (delivered: %s)', async (delivered, appearance, title, text) => {
    const page = await openAdmin(adminView(), {
      'admin/test': () =>
        ok({ delivered, status: delivered ? 200 : 401, millis: 143, message: text }),
    });

    await page.fire(button(page.tree(), 'Send test event').props.onClick);

    expect(page.invocations.at(-1)).toEqual({ key: 'admin/test', payload: {} });
    expect(sectionMessages(page.tree())).toContainEqual({ appearance, title, text });
  });

  it('offers no test event before tasksource is connected', async () => {
    const page = await openAdmin(
      adminView({ connected: false, webhookUrlMasked: null, signingSecretMasked: null }),
    );

    expect(button(page.tree(), 'Send test event').props.isDisabled).toBe(true);
    expect(pageText(page.tree())).toContain('Not connected');
    expect(pageText(page.tree())).toContain('No signing secret: deliveries are sent unsigned.');
  });

  it('lists the configured projects with their labels, linked to their settings', async () => {
    const page = await openAdmin(adminView());

    const [link, ...others] = ofType(page.tree(), 'Link');
    expect(others).toEqual([]);
    expect(link?.props.href).toBe(
      'https://example.atlassian.net/jira/settings/projects/WEB/apps/tasksource',
    );
    expect(link && textOf(link)).toBe('Website (WEB)');
    const text = pageText(page.tree());
    expect(text).toContain('Website (WEB) outsourced ts-frontend');
    expect(text).toContain('OPS no labels Paused');
  });

  it('says what went wrong when the settings cannot be loaded', async () => {
    const page = await openPage(() => import('../../src/frontend/admin-page'), {
      resolvers: {
        'admin/get': () => refused({ code: 'unavailable', message: 'Jira did not answer.' }),
      },
    });

    expect(sectionMessages(page.tree())).toEqual([
      { appearance: 'warning', title: 'Try again in a moment', text: 'Jira did not answer.' },
    ]);
  });
});
