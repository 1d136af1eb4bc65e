import { identifyChange } from '../src/core/identify-change';
import { parseJiraEvent } from '../src/core/jira-event';
import { jiraIssueSchema } from '../src/core/jira-issue';
import { mapWebhookPayload } from '../src/core/map-webhook-payload';
import { PROJECT_FLAG_KEY } from '../src/core/project-flag';
import { outboundPayloadSchema } from '../src/core/webhook-payload';
import { accountFor } from './support/delivery-invariants';
import {
  assigneeChange,
  INTEGRATION,
  makeEvent,
  makeIssue,
  OTHER_PROJECT,
  PROJECT,
  projectChange,
} from './support/builders';
import { minutesAgo } from './support/reconcile';
import { bodyOf, replay } from './support/replay';

/** A break-it pass after issue 5: what it tried that held, kept so it keeps holding. */

jest.setTimeout(120_000);

describe('held', () => {
  it('a refused release whose numbering transaction fails is not delivered and dead-lettered', async () => {
    const issue = makeIssue();
    const unassigned = makeIssue({ assignee: null, updated: '2026-12-01T09:40:00.000+0000' });
    const release = makeEvent('avi:jira:updated:issue', unassigned, {
      changelog: assigneeChange(INTEGRATION, null, '10900'),
    });
    const replayed = await replay(
      [
        { jira: { issues: { '10021': issue } } },
        { event: makeEvent('avi:jira:created:issue', issue) },
        { jira: { issues: { '10021': unassigned } } },
        { receiver: { respond: [422] } },
        { event: release },
        { advance: { seconds: 3600 } },
      ],
      {
        onStart: ({ receiver, platform }) => {
          let seen = 0;
          receiver.onDelivery(() => {
            seen += 1;
            if (seen === 2) {
              platform.kvs.faults.add([{ match: 'transaction', status: 500, times: 3 }]);
            }
          });
        },
      },
    );
    expect(accountFor(replayed).problems).toEqual([]);
  });

  it('a silent move to an unconfigured project, then a delete there: released within the hour', async () => {
    const issue = makeIssue({ updated: minutesAgo(45) });
    const moved = makeIssue({ projectId: OTHER_PROJECT, updated: minutesAgo(40) });
    const { deliveries } = await replay(
      [
        { event: makeEvent('avi:jira:created:issue', issue) },
        { jira: { issues: { '10021': moved } } },
        { jira: { issues: { '10021': null } } },
        { event: makeEvent('avi:jira:deleted:issue', moved) },
        { advance: { seconds: 3600 } },
      ],
      { jira: { '10021': issue } },
    );
    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
  });

  it('moves A→B→C arriving in reverse order, the filter failing open: released once, at once', async () => {
    const issue = makeIssue();
    const third = '10002';
    const inC = makeIssue({ projectId: third });
    const failOpen = {
      [OTHER_PROJECT]: { [PROJECT_FLAG_KEY]: 'x' },
      [third]: { [PROJECT_FLAG_KEY]: 'x' },
    };
    const { deliveries } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
      { jira: { issues: { '10021': inC }, projectProperties: failOpen } },
      {
        event: makeEvent('avi:jira:updated:issue', inC, {
          changelog: projectChange(OTHER_PROJECT, third, '2'),
        }),
      },
      {
        event: makeEvent('avi:jira:updated:issue', makeIssue({ projectId: OTHER_PROJECT }), {
          changelog: projectChange(PROJECT, OTHER_PROJECT, '1'),
        }),
      },
    ]);
    expect(deliveries.map((line) => bodyOf(line).tasksource)).toMatchObject([
      { state: 'outsourced' },
      { state: 'released', reason: 'moved' },
    ]);
  });

  it("building a body writes nothing into Jira's object or the event", () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === 'object') {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const base = makeIssue();
    const issue = deepFreeze(
      JSON.parse(
        JSON.stringify({
          ...base,
          fields: {
            ...(base.fields as object),
            customfield_9: { a: { key: 'HR-1', fields: {} }, b: [{ key: 'HR-2', fields: {} }, 1] },
            parent: { key: 'HR-3', fields: {} },
          },
        }),
      ),
    );
    expect(jiraIssueSchema.safeParse(issue).success).toBe(true);
    const parsed = parseJiraEvent(
      deepFreeze(
        makeEvent('avi:jira:updated:issue', issue, {
          changelog: assigneeChange(null, INTEGRATION),
        }),
      ),
    );
    if (!parsed.ok) throw new Error('the event should parse');
    const event = deepFreeze(parsed.event);
    const change = identifyChange(event, 'installation');
    const decisions = [
      { action: 'forward', state: 'outsourced', labels: ['acme-web'] },
      { action: 'release', state: 'released', labels: ['acme-web'], reason: 'unassigned' },
    ] as const;
    for (const decision of decisions) {
      const body = mapWebhookPayload({
        event,
        change,
        decision,
        issue,
        comment: undefined,
        record: undefined,
        site: { cloudId: 'c', siteUrl: 'https://example.atlassian.net' },
        now: 1,
        sequence: 1,
      });
      expect(outboundPayloadSchema.safeParse(body).success).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/HR-[123]/);
    }
  });
});
