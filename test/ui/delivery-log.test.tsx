import type { AdminView, DeliveryList } from '../../src/settings/page-contract';
import type { FakeResolvers } from './support/forge-page';
import { openPage } from './support/forge-page';
import {
  button,
  buttons,
  dynamicTable,
  ofType,
  pageText,
  sectionMessages,
  textOf,
} from './support/forge-doc';
import {
  adminView,
  deadLetterRow,
  deliveryList,
  deliveryRow,
  ok,
  projectView,
  refused,
} from './support/views';

/**
 * The delivery log on both pages, against fake resolvers: the table's columns and rows, dead
 * letters on top and marked, Resend and "Resend all" calling their resolvers and reloading the
 * log, and the banner while tasksource has disabled the endpoint.
 */

const COLUMNS = ['Time', 'Issue', 'Event', 'State', 'Status', 'Attempts', 'Latency', 'Error'];

const REJECTED = deadLetterRow({
  deliveryId: 'ts_000000000000000000000000000000d2',
  time: '2026-12-01T10:04:00.000Z',
  issueKey: 'WEB-8',
  reason: 'rejected',
  explanation: 'tasksource refused this change.',
  resentTogether: false,
  error: 'tasksource answered 422',
  status: 422,
});
const DISABLED = deadLetterRow();
const RETRYING = deliveryRow({
  deliveryId: 'ts_00000000000000000000000000000002',
  time: '2026-12-01T10:06:00.000Z',
  issueKey: 'WEB-3',
  eventType: 'avi:jira:created:issue',
  webhookEvent: null,
  state: 'retrying',
  status: null,
  attempts: 3,
  latencyMs: null,
  error: 'tasksource did not answer in 10 s',
});
const DELIVERED = deliveryRow();

const SITE_LOG = deliveryList({
  deadLetters: [REJECTED, DISABLED],
  deliveries: [RETRYING, DELIVERED],
});

function openAdmin(
  view: AdminView,
  deliveries: () => DeliveryList = () => SITE_LOG,
  resolvers: FakeResolvers = {},
) {
  return openPage(() => import('../../src/frontend/admin-page'), {
    resolvers: {
      'admin/get': () => ok(view),
      'admin/deliveries': () => ok(deliveries()),
      ...resolvers,
    },
  });
}

const resendButtons = (page: { tree(): Parameters<typeof buttons>[0] }) =>
  buttons(page.tree(), 'Resend');

describe('the admin page’s delivery log', () => {
  it('shows every column, dead letters on top and marked, then the deliveries', async () => {
    const page = await openAdmin(adminView());

    const table = dynamicTable(page.tree());
    expect(table.head).toEqual([...COLUMNS, '']);
    expect(table.rows.map((row) => [row.highlighted, row.texts.slice(0, 8)])).toEqual([
      [
        true,
        [
          '2026-12-01 10:04 UTC',
          'WEB-8',
          'comment_created',
          'Dead letter',
          '422',
          '1',
          '88 ms',
          'tasksource refused this change. tasksource answered 422',
        ],
      ],
      [
        true,
        [
          '2026-12-01 10:02 UTC',
          'WEB-9',
          'comment_created',
          'Dead letter',
          '410',
          '1',
          '88 ms',
          'tasksource had disabled the endpoint. tasksource answered 410: it disabled this endpoint',
        ],
      ],
      [
        false,
        [
          '2026-12-01 10:06 UTC',
          'WEB-3',
          'avi:jira:created:issue',
          'Retrying',
          '–',
          '3',
          '–',
          'tasksource did not answer in 10 s',
        ],
      ],
      [
        false,
        [
          '2026-12-01 10:05 UTC',
          'WEB-7',
          'jira:issue_updated',
          'Delivered',
          '200',
          '1',
          '143 ms',
          '',
        ],
      ],
    ]);
    const lozenges = table.rows.map((row) => (row.cells[3] ? ofType(row.cells[3], 'Lozenge') : []));
    expect(lozenges.map(([lozenge]) => lozenge?.props.appearance)).toEqual([
      'removed',
      'removed',
      'inprogress',
      'success',
    ]);
    expect(table.rows.map((row) => (row.cells[8] ? textOf(row.cells[8]) : null))).toEqual([
      'Resend',
      'Resend',
      '',
      '',
    ]);
  });

  it('resends a dead letter by its delivery id, then shows the log again', async () => {
    let list = SITE_LOG;
    const page = await openAdmin(adminView(), () => list, {
      'admin/resend': () => {
        list = deliveryList({
          deadLetters: [DISABLED],
          deliveries: [{ ...REJECTED, state: 'retrying', error: 'resent by an admin' }, RETRYING],
        });
        return ok({ resent: true, issueKey: 'WEB-8' });
      },
    });

    await page.fire(resendButtons(page)[0]?.props.onClick);

    expect(page.invocations.filter(({ key }) => key !== 'admin/get')).toEqual([
      { key: 'admin/deliveries', payload: {} },
      { key: 'admin/resend', payload: { deliveryId: REJECTED.deliveryId } },
      { key: 'admin/deliveries', payload: {} },
    ]);
    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: 'WEB-8 is sent again' }),
    );
    const rows = dynamicTable(page.tree()).rows;
    expect(rows.map((row) => [row.texts[1], row.texts[3]])).toEqual([
      ['WEB-9', 'Dead letter'],
      ['WEB-8', 'Retrying'],
      ['WEB-3', 'Retrying'],
    ]);
  });

  it('says so when the dead letter is gone already', async () => {
    const page = await openAdmin(adminView(), undefined, {
      'admin/resend': () =>
        refused({ code: 'not-found', message: 'There is no dead letter ts_…d2.' }),
    });

    await page.fire(resendButtons(page)[0]?.props.onClick);

    expect(sectionMessages(page.tree())).toContainEqual({
      appearance: 'error',
      title: 'Nothing to do any more',
      text: 'There is no dead letter ts_…d2.',
    });
    expect(page.invocations.filter(({ key }) => key === 'admin/deliveries')).toHaveLength(2);
  });

  it('shows Resend disabled to someone who may not change settings', async () => {
    const page = await openAdmin(adminView({ canEdit: false }));

    expect(resendButtons(page).map((node) => node.props.isDisabled)).toEqual([true, true]);
    expect(button(page.tree(), 'Resend all').props.isDisabled).toBe(true);
  });

  it('resends every change kept for want of tasksource with "Resend all"', async () => {
    let list = SITE_LOG;
    const page = await openAdmin(adminView(), () => list, {
      'admin/resend-all': () => {
        list = deliveryList({ deadLetters: [REJECTED], deliveries: [RETRYING] });
        return ok({ resent: 1, remaining: 0 });
      },
    });

    await page.fire(button(page.tree(), 'Resend all').props.onClick);

    expect(page.invocations.at(-2)).toEqual({ key: 'admin/resend-all', payload: {} });
    expect(page.invocations.at(-1)).toEqual({ key: 'admin/deliveries', payload: {} });
    expect(sectionMessages(page.tree())).toContainEqual(
      expect.objectContaining({ appearance: 'success', title: '1 change is sent again' }),
    );
    // Only a rejected dead letter is left: nothing for "Resend all".
    expect(buttons(page.tree(), 'Resend all')).toEqual([]);
  });

  it('says how to find out what happened when the log cannot be loaded', async () => {
    const page = await openPage(() => import('../../src/frontend/admin-page'), {
      resolvers: {
        'admin/get': () => ok(adminView()),
        'admin/deliveries': () => refused({ code: 'unavailable', message: 'KVS did not answer.' }),
      },
    });

    expect(sectionMessages(page.tree())).toEqual([
      { appearance: 'warning', title: 'Try again in a moment', text: 'KVS did not answer.' },
    ]);
    expect(ofType(page.tree(), 'DynamicTable')).toEqual([]);
    expect(pageText(page.tree())).toContain('Send test event');
  });

  it('says the log is empty instead of showing an empty table', async () => {
    const page = await openAdmin(adminView(), () => deliveryList());

    expect(ofType(page.tree(), 'DynamicTable')).toEqual([]);
    expect(pageText(page.tree())).toContain(
      'No deliveries in the last 7 days, and no dead letters.',
    );
  });
});

describe('while tasksource has disabled the endpoint', () => {
  const disabled = adminView({ endpointDisabledAt: '2026-12-01T10:30:00.000Z' });

  it('says so at the top of the admin page, with what to do', async () => {
    const page = await openAdmin(disabled);

    const [first] = sectionMessages(page.tree());
    expect(first).toEqual({
      appearance: 'error',
      title: 'tasksource disabled the endpoint',
      text: expect.stringContaining(
        'tasksource disabled the endpoint on 2026-12-01 10:30 UTC: nothing is being sent.',
      ),
    });
    expect(first?.text).toContain('kept as dead letters');
    expect(first?.text).toContain(
      'Check with tasksource, then save the connection again to resume sending, then use "Resend all"',
    );
  });

  it('holds back Resend until the connection is saved again', async () => {
    const page = await openAdmin(disabled);

    expect(resendButtons(page).map((node) => node.props.isDisabled)).toEqual([true, true]);
    expect(button(page.tree(), 'Resend all').props.isDisabled).toBe(true);
  });

  it('shows no banner while sending is on', async () => {
    const page = await openAdmin(adminView());

    expect(sectionMessages(page.tree()).map((message) => message.title)).not.toContain(
      'tasksource disabled the endpoint',
    );
    expect(resendButtons(page).map((node) => node.props.isDisabled)).toEqual([false, false]);
  });
});

describe('the project page’s delivery log', () => {
  it('shows the project’s own log, without Resend', async () => {
    const page = await openPage(() => import('../../src/frontend/project-settings-page'), {
      context: { extension: { project: { id: '10000', key: 'WEB' } } },
      resolvers: {
        'project/get': () => ok(projectView()),
        'project/labels': () => ok({ labels: [] }),
        'project/deliveries': () =>
          ok(deliveryList({ deadLetters: [DISABLED], deliveries: [DELIVERED] })),
      },
    });

    const table = dynamicTable(page.tree());
    expect(page.invocations.map(({ key }) => key)).toContain('project/deliveries');
    expect(table.head).toEqual(COLUMNS);
    expect(table.rows.map((row) => [row.highlighted, row.texts[1], row.texts[3]])).toEqual([
      [true, 'WEB-9', 'Dead letter'],
      [false, 'WEB-7', 'Delivered'],
    ]);
    expect(resendButtons(page)).toEqual([]);
  });
});
