import type { ProjectSavePayload, ProjectView } from '../../src/settings/page-contract';
import type { FakeResolvers, ForgePage } from './support/forge-page';
import { neverAnswer, openPage } from './support/forge-page';
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
  checklist,
  deliveryList,
  ok,
  projectView,
  refused,
  switched,
  typed,
} from './support/views';

const LABELS_LABEL = 'Labels that mark an issue for tasksource';
const NEW_LABEL_LABEL = 'New label';
const TOGGLE_LABEL = 'Forward outsourced issues from this project';
const CONTEXT = {
  extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'WEB' } },
};

function openProject(view: ProjectView, resolvers: FakeResolvers = {}) {
  return openPage(() => import('../../src/frontend/project-settings-page'), {
    context: CONTEXT,
    resolvers: {
      'project/get': () => ok(view),
      'project/labels': () => ok({ labels: ['outsourced', 'ts-frontend'] }),
      'project/deliveries': () => ok(deliveryList()),
      ...resolvers,
    },
  });
}

function savedBy(saves: ProjectSavePayload[], answer = (payload: ProjectSavePayload) => payload) {
  return (payload: unknown) => {
    saves.push(payload as ProjectSavePayload);
    const { labels, enabled } = answer(payload as ProjectSavePayload);
    return ok(projectView({ labels, enabled }));
  };
}

function selectedLabels(page: ForgePage): unknown {
  return inputLabelled(page.tree(), LABELS_LABEL).props.value;
}

async function addLabel(page: ForgePage, label: string) {
  await page.fire(inputLabelled(page.tree(), NEW_LABEL_LABEL).props.onChange, typed(label));
  await page.fire(button(page.tree(), 'Add label').props.onClick);
}

describe('project settings page', () => {
  it('binds every label to its input through getFieldId', async () => {
    const page = await openProject(projectView());

    const bindings = labelBindings(page.tree());
    expect(bindings.map(({ label, input }) => [label, input?.type])).toEqual([
      [LABELS_LABEL, 'Select'],
      [NEW_LABEL_LABEL, 'Textfield'],
      [TOGGLE_LABEL, 'Toggle'],
    ]);
  });

  it('shows each checklist line green or red with its message', async () => {
    const page = await openProject(
      projectView({ checklist: checklist({ assignable: false, outsourced: false }) }),
    );

    const lines = ofType(page.tree(), 'Lozenge').map((lozenge) => [
      lozenge.props.appearance,
      textOf(lozenge),
    ]);
    expect(lines).toEqual([
      ['success', 'Done'],
      ['removed', 'To do'],
      ['success', 'Done'],
      ['removed', 'To do'],
      ['success', 'Done'],
    ]);
    const text = pageText(page.tree());
    expect(text).toContain('Done tasksource is connected.');
    expect(text).toContain('To do Let tasksource Bot be assigned.');
    expect(text).toContain('To do No issue is outsourced yet.');
  });

  it('names the project from the product context while its settings load', async () => {
    const page = await openPage(() => import('../../src/frontend/project-settings-page'), {
      context: CONTEXT,
      resolvers: { 'project/get': () => neverAnswer() },
    });

    expect(ofType(page.tree(), 'Heading').map(textOf)).toEqual(['tasksource for WEB']);
    expect(ofType(page.tree(), 'Spinner')).toHaveLength(1);
  });

  it('offers the saved labels and the site labels, page by page', async () => {
    const page = await openProject(projectView(), {
      'project/labels': (payload) =>
        (payload as { startAt?: number }).startAt === 2
          ? ok({ labels: ['ts-backend'] })
          : ok({ labels: ['frontend', 'ts-frontend'], nextStartAt: 2 }),
    });

    const options = () => inputLabelled(page.tree(), LABELS_LABEL).props.options;
    expect(selectedLabels(page)).toEqual([{ label: 'outsourced', value: 'outsourced' }]);
    expect(options()).toEqual(
      ['outsourced', 'frontend', 'ts-frontend'].map((label) => ({ label, value: label })),
    );

    await page.fire(button(page.tree(), 'Load more labels').props.onClick);

    expect(page.invocations.filter(({ key }) => key === 'project/labels')).toEqual([
      { key: 'project/labels', payload: {} },
      { key: 'project/labels', payload: { startAt: 2 } },
    ]);
    expect(options()).toContainEqual({ label: 'ts-backend', value: 'ts-backend' });
    expect(buttons(page.tree(), 'Load more labels')).toEqual([]);
  });

  it('searches the site labels for what is typed into the picker', async () => {
    const page = await openProject(projectView(), {
      'project/labels': (payload) =>
        ok({ labels: (payload as { query?: string }).query === 'ts' ? ['ts-qa'] : [] }),
    });

    await page.fire(inputLabelled(page.tree(), LABELS_LABEL).props.onInputChange, 't');
    await page.fire(inputLabelled(page.tree(), LABELS_LABEL).props.onInputChange, 'ts');
    await page.settle(400);

    const searches = page.invocations.filter(({ key }) => key === 'project/labels');
    expect(searches.map(({ payload }) => payload)).toEqual([{}, { query: 'ts' }]);
    expect(inputLabelled(page.tree(), LABELS_LABEL).props.options).toContainEqual({
      label: 'ts-qa',
      value: 'ts-qa',
    });
  });

  it('adds a label that no issue has yet and saves it', async () => {
    const saves: ProjectSavePayload[] = [];
    const page = await openProject(projectView(), { 'project/save': savedBy(saves) });

    await addLabel(page, '  ts-new ');

    expect(selectedLabels(page)).toEqual([
      { label: 'outsourced', value: 'outsourced' },
      { label: 'ts-new', value: 'ts-new' },
    ]);
    expect(inputLabelled(page.tree(), NEW_LABEL_LABEL).props.value).toBe('');

    await page.fire(form(page.tree()).props.onSubmit);

    expect(saves).toEqual([{ labels: ['outsourced', 'ts-new'], enabled: true }]);
  });

  it('keeps the labels when forwarding is switched off', async () => {
    const saves: ProjectSavePayload[] = [];
    const page = await openProject(projectView({ labels: ['outsourced', 'ts-frontend'] }), {
      'project/save': savedBy(saves),
    });
    expect(inputLabelled(page.tree(), TOGGLE_LABEL).props.defaultChecked).toBe(true);

    await page.fire(inputLabelled(page.tree(), TOGGLE_LABEL).props.onChange, switched(false));
    await page.fire(form(page.tree()).props.onSubmit);

    expect(saves).toEqual([{ labels: ['outsourced', 'ts-frontend'], enabled: false }]);
    expect(inputLabelled(page.tree(), TOGGLE_LABEL).props.defaultChecked).toBe(false);
    expect(selectedLabels(page)).toHaveLength(2);
  });

  it('shows the saved settings and a success message after saving', async () => {
    const page = await openProject(
      projectView({ labels: [], checklist: checklist({ label: false }) }),
      {
        'project/save': () => ok(projectView({ labels: ['ts-frontend'] })),
      },
    );
    expect(pageText(page.tree())).toContain('To do Choose at least one label.');

    await page.fire(inputLabelled(page.tree(), LABELS_LABEL).props.onChange, [
      { label: 'ts-frontend', value: 'ts-frontend' },
    ]);
    await page.fire(form(page.tree()).props.onSubmit);

    expect(page.invocations.filter(({ key }) => key === 'project/save')).toEqual([
      { key: 'project/save', payload: { labels: ['ts-frontend'], enabled: true } },
    ]);
    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'Settings saved' }),
    );
    expect(pageText(page.tree())).toContain('Done Issues with outsourced are forwarded.');
    expect(selectedLabels(page)).toEqual([{ label: 'ts-frontend', value: 'ts-frontend' }]);
  });

  it('warns after a save that Jira was not marked to send the project’s events', async () => {
    const refusedFlag = projectView({ checklist: checklist({ events: false }) });
    const page = await openProject(projectView(), { 'project/save': () => ok(refusedFlag) });

    await page.fire(form(page.tree()).props.onSubmit);

    const messages = sectionMessages(page.tree());
    expect(messages).toContainEqual(
      expect.objectContaining({
        appearance: 'warning',
        title: 'Settings saved; Jira may not send events yet',
      }),
    );
    expect(messages).not.toContainEqual(expect.objectContaining({ title: 'Settings saved' }));
    expect(pageText(page.tree())).toContain('To do Saved, but Jira refused the flag.');
  });

  it('shows label errors under the label picker, naming the label', async () => {
    const page = await openProject(projectView(), {
      'project/save': () =>
        refused({
          code: 'invalid-input',
          message: 'Some labels are not valid.',
          fields: {
            labels: 'expected each label once',
            'labels.1': 'expected a label without spaces (Jira splits labels on spaces)',
          },
        }),
    });

    await addLabel(page, 'acme web');
    await page.fire(form(page.tree()).props.onSubmit);

    const picker = inputLabelled(page.tree(), LABELS_LABEL);
    expect(errorMessages(fieldAround(page.tree(), picker.props.id))).toEqual([
      'expected each label once',
      '"acme web": expected a label without spaces (Jira splits labels on spaces)',
    ]);
    expect(sectionMessages(page.tree())).toEqual([
      {
        appearance: 'error',
        title: 'Some settings need fixing',
        text: 'Some labels are not valid.',
      },
    ]);
  });

  it('saves look-alike labels anyway once the user confirms', async () => {
    const saves: ProjectSavePayload[] = [];
    const page = await openProject(projectView(), {
      'project/save': (payload) => {
        saves.push(payload as ProjectSavePayload);
        if ((payload as ProjectSavePayload).acceptLookalikes) return ok(projectView());
        return refused({
          code: 'invalid-input',
          message: '"Outsourced" is a look-alike of the existing label "outsourced".',
          fields: { 'labels.1': 'looks like "outsourced"' },
          confirm: 'lookalike-labels',
        });
      },
    });

    await addLabel(page, 'Outsourced');
    await page.fire(form(page.tree()).props.onSubmit);

    expect(sectionMessages(page.tree())).toEqual([
      expect.objectContaining({
        appearance: 'warning',
        title: 'Some labels only look like existing ones',
      }),
    ]);
    expect(pageText(page.tree())).toContain('"Outsourced": looks like "outsourced"');

    await page.fire(button(page.tree(), 'Save anyway').props.onClick);

    expect(saves).toEqual([
      { labels: ['outsourced', 'Outsourced'], enabled: true },
      { labels: ['outsourced', 'Outsourced'], enabled: true, acceptLookalikes: true },
    ]);
    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'Settings saved' }),
    );
  });

  it('is read-only without the Administer Projects permission', async () => {
    const page = await openProject(projectView({ canEdit: false }));

    const tree = page.tree();
    expect(sectionMessages(tree)).toContainEqual({
      appearance: 'warning',
      title: 'Read only',
      text: 'You need the Administer Projects permission for this project to change these settings.',
    });
    for (const { input } of labelBindings(tree)) expect(input?.props.isDisabled).toBe(true);
    expect(labelBindings(tree).map(({ label }) => label)).not.toContain(NEW_LABEL_LABEL);
    expect(ofType(tree, 'Button', 'LoadingButton')).toEqual([]);
    expect(page.invocations.map(({ key }) => key)).toEqual(['project/get', 'project/deliveries']);
  });
});
