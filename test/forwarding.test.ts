import { Queue } from '@forge/events';

import { noticeLines } from '../local/replay/notice-lines';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../src/core/project-flag';
import { DELIVERY_QUEUE } from '../src/core/queue-message';
import { outboundPayloadSchema } from '../src/core/webhook-payload';
import {
  ALEX,
  assigneeChange,
  INTEGRATION,
  makeComment,
  makeCommentEvent,
  makeEvent,
  makeIssue,
  makeSettings,
  OTHER_PROJECT,
  PROJECT,
  projectChange,
  SECRET,
  SITE,
  WEBHOOK_URL,
} from './support/builders';
import { minutesAgo as jiraTimeAgo } from './support/reconcile';
import { bodyOf, replay, withRunningScenario } from './support/replay';

/**
 * Every forwarding rule of issue 2, end to end: the real trigger, real `@forge/*` modules,
 * the local Jira, KVS and receiver over loopback HTTP.
 */

const outsourced = makeIssue();

describe('an issue outsourced after the change', () => {
  it('is forwarded once as outsourced, signed, in the admin-webhook shape', async () => {
    const { deliveries } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:created:issue', outsourced) },
    ]);

    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const body = bodyOf(delivery!);
    expect(outboundPayloadSchema.safeParse(body).success).toBe(true);
    expect(body.webhookEvent).toBe('jira:issue_created');
    expect(body.issue.key).toBe('KAN-22');
    expect(body.issue.fields.description).toBe('Add back button navigation to all list pages.');
    expect(body.tasksource).toMatchObject({
      state: 'outsourced',
      labels: ['acme-web'],
      eventType: 'avi:jira:created:issue',
    });
    expect(delivery!.verified).toBe(true);
  });

  it.each([
    ['assignee is someone else', makeIssue({ assignee: ALEX })],
    ['nobody is assigned', makeIssue({ assignee: null })],
    ['the label differs in case', makeIssue({ labels: ['Acme-web'] })],
    ['no label at all', makeIssue({ labels: [] })],
  ])('is not forwarded when %s, and nothing about it leaves Jira', async (_, issue) => {
    const { deliveries, skips, lines } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
      {
        event: makeEvent('avi:jira:updated:issue', issue, {
          changelog: assigneeChange(null, ALEX),
        }),
      },
    ]);

    expect(deliveries).toHaveLength(0);
    expect(skips).toHaveLength(2);
    expect(JSON.stringify(lines.filter((line) => line.type !== 'skip'))).not.toContain('KAN-22');
  });

  it('never reaches the app from a project without settings: the trigger filter drops it', async () => {
    const issue = makeIssue({ projectId: OTHER_PROJECT });
    const { deliveries, lines, result } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
      {
        event: makeEvent('avi:jira:updated:issue', issue, {
          changelog: assigneeChange(null, ALEX),
        }),
      },
    ]);

    expect(deliveries).toHaveLength(0);
    expect(lines).toEqual([
      expect.objectContaining({ type: 'filtered', projectId: OTHER_PROJECT, issueId: '10021' }),
      expect.objectContaining({ type: 'filtered', reason: 'expression-false' }),
    ]);
    const invoked = result.platform.invocations.filter(
      (call) => call.module === 'tasksource-jira-events',
    );
    expect(invoked).toEqual([]);
  });

  it('decides from the issue Jira has now, not from the trigger payload', async () => {
    const stale = makeEvent('avi:jira:updated:issue', makeIssue(), {
      changelog: assigneeChange(null, INTEGRATION),
    });
    const nowElsewhere = makeIssue({ assignee: ALEX });

    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': nowElsewhere } } },
      { event: stale },
    ]);

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('not-assigned-to-integration-account');
  });

  it('matches the integration account by accountId, never by e-mail', async () => {
    const issue = makeIssue({ assignee: 'integrations@tasksource.io' });
    const { deliveries } = await replay([
      { jira: { issues: { '10021': issue } } },
      { event: makeEvent('avi:jira:created:issue', issue) },
    ]);

    expect(deliveries).toHaveLength(0);
  });
});

describe('an issue that was outsourced and is not any more', () => {
  const start = [
    { jira: { issues: { '10021': outsourced } } },
    { event: makeEvent('avi:jira:created:issue', outsourced) },
  ];

  it.each([
    ['unassigned', makeIssue({ assignee: null }), 'unassigned'],
    ['reassigned to a person', makeIssue({ assignee: ALEX }), 'unassigned'],
    ['its label removed', makeIssue({ labels: ['other'] }), 'label-removed'],
  ])('is released once when %s, keeping only its numbering', async (_, after, reason) => {
    const change = makeEvent('avi:jira:updated:issue', after, {
      changelog: assigneeChange(INTEGRATION, null, '10400'),
    });
    const later = makeEvent('avi:jira:updated:issue', after, {
      changelog: assigneeChange(null, null, '10401'),
    });

    const { deliveries, skips, kvs } = await replay([
      ...start,
      { jira: { issues: { '10021': after } } },
      { event: change },
      { event: later },
    ]);

    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
    const released = bodyOf(deliveries[1]!);
    expect(released.webhookEvent).toBe('jira:issue_updated');
    expect(released.tasksource).toMatchObject({ reason, labels: ['acme-web'] });
    expect(released.issue.fields.description).toBeUndefined();
    expect(skips).toHaveLength(1);
    expect(released.tasksource.sequence).toBe(2);
    expect(kvs.plain['issue:10021']).toMatchObject({ state: 'released', sequence: 2 });
  });

  it('is released by reconciliation when moved to a project without settings, whose events the platform drops', async () => {
    const moved = makeIssue({ projectId: OTHER_PROJECT, updated: jiraTimeAgo(30) });
    const move = makeEvent('avi:jira:updated:issue', moved, {
      changelog: {
        id: '10400',
        items: [
          {
            field: 'project',
            fieldId: 'project',
            from: '10000',
            fromString: 'KAN',
            to: OTHER_PROJECT,
            toString: 'OPS',
          },
        ],
      },
    });

    const { deliveries, lines, kvs } = await replay([
      ...start,
      { jira: { issues: { '10021': moved } } },
      { event: move },
      { advance: { seconds: 3600 } },
    ]);

    expect(lines.filter((line) => line.type === 'filtered')).toEqual([
      expect.objectContaining({ issueId: '10021', projectId: OTHER_PROJECT }),
    ]);
    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
    expect(bodyOf(deliveries[1]!).tasksource).toMatchObject({
      reason: 'moved',
      labels: ['acme-web'],
      reconciled: true,
      sequence: 2,
    });
    expect(kvs.plain['issue:10021']).toMatchObject({ state: 'released', sequence: 2 });
  });

  it('is released at once when its move out still reaches the app (the filter failed open)', async () => {
    const moved = makeIssue({ projectId: OTHER_PROJECT });
    const move = makeEvent('avi:jira:updated:issue', moved, {
      changelog: projectChange(PROJECT, OTHER_PROJECT, '10402'),
    });
    // A flag the expression cannot read: Forge delivers the event (`onError: RECEIVE_AND_LOG`).
    const unreadableFlag = { [OTHER_PROJECT]: { 'tasksource-for-jira': 'not an object' } };

    const { deliveries, lines } = await replay([
      ...start,
      { jira: { issues: { '10021': moved }, projectProperties: unreadableFlag } },
      { event: move },
    ]);

    expect(lines.filter((line) => line.type === 'filtered')).toEqual([]);
    expect(deliveries.map((line) => bodyOf(line).tasksource.state)).toEqual([
      'outsourced',
      'released',
    ]);
    expect(bodyOf(deliveries[1]!).tasksource).toMatchObject({ reason: 'moved', sequence: 2 });
  });

  it('is released as jira:issue_deleted when deleted', async () => {
    const { deliveries } = await replay([
      ...start,
      { jira: { issues: { '10021': null } } },
      { event: makeEvent('avi:jira:deleted:issue', outsourced) },
      { event: makeEvent('avi:jira:deleted:issue', outsourced) },
    ]);

    expect(deliveries).toHaveLength(2);
    expect(bodyOf(deliveries[1]!)).toMatchObject({
      webhookEvent: 'jira:issue_deleted',
      issue: { id: '10021', key: 'KAN-22' },
      tasksource: { state: 'released', reason: 'deleted' },
    });
  });

  it('is released when forwarding is disabled for its project, keeping the labels', async () => {
    const disabled = makeSettings({
      projects: { '10000': { labels: ['acme-web'], enabled: false } },
    });
    const { deliveries, skips } = await replay(
      [{ event: makeEvent('avi:jira:created:issue', outsourced) }],
      { settings: disabled, jira: { '10021': outsourced } },
    );

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('project-disabled');
  });

  it('is never released when it was never outsourced', async () => {
    const never = makeIssue({ assignee: ALEX });
    const { deliveries } = await replay([
      { jira: { issues: { '10021': never } } },
      { event: makeEvent('avi:jira:created:issue', never) },
      { jira: { issues: { '10021': null } } },
      { event: makeEvent('avi:jira:deleted:issue', never) },
    ]);

    expect(deliveries).toHaveLength(0);
  });
});

describe('comments', () => {
  const comment = makeComment();
  const withComment = makeIssue({ comments: [comment] });
  const edited = makeComment({ body: 'Edited text', updated: '2026-12-01T09:25:00.000+0000' });
  const withEdit = makeIssue({ comments: [edited] });

  it('tells a new comment from an edit, with wiki-markup bodies read from Jira', async () => {
    const { deliveries } = await replay([
      { jira: { issues: { '10021': withComment } } },
      { event: makeCommentEvent('avi:jira:commented:issue', withComment, comment) },
      { jira: { issues: { '10021': withEdit } } },
      { event: makeCommentEvent('avi:jira:commented:issue', withEdit, edited) },
    ]);

    expect(deliveries.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'comment_created',
      'comment_updated',
    ]);
    expect(bodyOf(deliveries[0]!).comment.body).toBe(comment.body);
    expect(bodyOf(deliveries[1]!).comment.body).toBe('Edited text');
    expect(bodyOf(deliveries[0]!).issue.fields.labels).toBeUndefined();
    expect(bodyOf(deliveries[0]!).tasksource.deliveryId).not.toBe(
      bodyOf(deliveries[1]!).tasksource.deliveryId,
    );
  });

  it('forwards a comment delete while the issue is outsourced', async () => {
    const { deliveries } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeCommentEvent('avi:jira:deleted:comment', outsourced, comment) },
    ]);

    expect(bodyOf(deliveries[0]!)).toMatchObject({
      webhookEvent: 'comment_deleted',
      comment: { id: '10100', body: 'ADF body' },
    });
  });

  it.each([
    ['commented:issue', 'avi:jira:commented:issue'],
    ['deleted:comment', 'avi:jira:deleted:comment'],
  ] as const)('sends nothing for %s on an issue that is not outsourced', async (_, type) => {
    const never = makeIssue({ assignee: ALEX, comments: [comment] });
    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': never } } },
      { event: makeCommentEvent(type, never, comment) },
    ]);

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('not-assigned-to-integration-account');
  });

  it('decides from Jira even when the payload says the issue is outsourced', async () => {
    const payloadSaysOutsourced = makeCommentEvent('avi:jira:commented:issue', outsourced, comment);
    const jiraSaysNot = makeIssue({ labels: [], comments: [comment] });

    const { deliveries } = await replay([
      { jira: { issues: { '10021': jiraSaysNot } } },
      { event: payloadSaysOutsourced },
    ]);

    expect(deliveries).toHaveLength(0);
  });

  it('decides from Jira when tasksource has the issue, whatever the payload says', async () => {
    const payloadSaysNot = makeCommentEvent(
      'avi:jira:commented:issue',
      makeIssue({ assignee: null }),
      comment,
    );

    const { deliveries } = await replay([
      { jira: { issues: { '10021': withComment } } },
      { event: makeEvent('avi:jira:created:issue', withComment) },
      { event: payloadSaysNot },
    ]);

    expect(deliveries.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'jira:issue_created',
      'comment_created',
    ]);
  });

  it.each([
    ['someone else', makeIssue({ assignee: ALEX })],
    ['nobody', makeIssue({ assignee: null })],
  ])(
    'does not ask Jira about an issue tasksource does not have, assigned to %s',
    async (_, payloadIssue) => {
      const { deliveries, skips, jiraRequests } = await replay([
        { jira: { issues: { '10021': withComment } } },
        { event: makeCommentEvent('avi:jira:commented:issue', payloadIssue, comment) },
        { event: makeEvent('avi:jira:updated:issue', payloadIssue) },
      ]);

      expect(deliveries).toEqual([]);
      expect(skips.map((skip) => skip.reason)).toEqual([
        'not-assigned-to-integration-account',
        'not-assigned-to-integration-account',
      ]);
      expect(jiraRequests).toEqual([]);
    },
  );

  it('skips a comment that no longer exists in Jira', async () => {
    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeCommentEvent('avi:jira:commented:issue', outsourced, comment) },
    ]);

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('comment-not-found');
  });
});

describe('the same change delivered twice', () => {
  it('is delivered once when Forge redelivers the event', async () => {
    const event = makeEvent('avi:jira:created:issue', outsourced);
    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event },
      { event },
    ]);

    expect(deliveries).toHaveLength(1);
    expect(skips.map((skip) => skip.reason)).toEqual(['duplicate']);
  });

  it('is delivered once for assigned:issue plus updated:issue of one assignment', async () => {
    const changelog = assigneeChange(ALEX, INTEGRATION, '10500');
    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:assigned:issue', outsourced, { changelog }) },
      {
        event: makeEvent('avi:jira:updated:issue', outsourced, {
          changelog,
          jiraEventTypeName: 'issue_assigned',
        }),
      },
    ]);

    expect(deliveries).toHaveLength(1);
    expect(bodyOf(deliveries[0]!)).toMatchObject({
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_assigned',
      changelog: { id: '10500' },
    });
    expect(skips.map((skip) => skip.reason)).toEqual(['duplicate']);
  });

  it('asks Jira nothing when it recognises the redelivery', async () => {
    const event = makeEvent('avi:jira:created:issue', outsourced);
    const { jiraRequests } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event },
      { event },
    ]);

    expect(jiraRequests).toHaveLength(1);
  });
});

describe('events the app cannot read', () => {
  // `filter-error`: the event names no issue the platform knows, so the trigger filter finds
  // no project and its expression fails; onError RECEIVE_AND_LOG delivers it all the same.
  it.each([
    [
      'an unknown event type',
      { eventType: 'avi:jira:viewed:issue', issue: { id: '10021' } },
      'unknown-event-type',
      [],
    ],
    ['no issue', { eventType: 'avi:jira:updated:issue' }, 'invalid-event', ['filter-error']],
    [
      'an issue id of the wrong type',
      { eventType: 'avi:jira:updated:issue', issue: { id: { $gt: '' } } },
      'invalid-event',
      ['filter-error'],
    ],
    [
      'a path as issue id',
      { eventType: 'avi:jira:created:issue', issue: { id: '../../myself' } },
      'invalid-event',
      ['filter-error'],
    ],
    [
      'a comment event without a comment',
      { eventType: 'avi:jira:commented:issue', issue: { id: '10021' } },
      'invalid-event',
      [],
    ],
    [
      'an issue Jira does not have',
      makeEvent('avi:jira:updated:issue', makeIssue({ id: '99999' })),
      'issue-not-found',
      [],
    ],
  ])('skips %s with a reason and goes on with the next event', async (_, bad, reason, filter) => {
    const { lines } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: bad },
      { event: makeEvent('avi:jira:created:issue', outsourced) },
    ]);

    expect(lines.map((line) => line.type)).toEqual([...filter, 'skip', 'delivery']);
    expect(lines[filter.length]).toMatchObject({ type: 'skip', reason });
  });

  it.each([
    ['no issue', { eventType: 'avi:jira:updated:issue' }],
    ['an issue id of the wrong type', { eventType: 'avi:jira:updated:issue', issue: { id: {} } }],
    ['an issue Jira has never had', { eventType: 'avi:jira:created:issue', issue: { id: '5' } }],
  ])(
    'is delivered to the app, failing open, when the filter cannot find a project: %s',
    async (_, bad) => {
      const { lines } = await replay([{ event: bad }]);

      expect(lines).toEqual([
        expect.objectContaining({
          type: 'filter-error',
          projectId: null,
          detail: expect.stringContaining('onError RECEIVE_AND_LOG delivers the event'),
        }),
        expect.objectContaining({ type: 'skip' }),
      ]);
    },
  );

  it('skips an issue whose Jira representation is not REST API v2', async () => {
    const adf = makeIssue();
    (adf.fields as Record<string, unknown>).project = 'not a project';

    const { skips } = await replay([
      { jira: { issues: { '10021': adf } } },
      { event: makeEvent('avi:jira:created:issue', outsourced) },
    ]);

    expect(skips[0]?.reason).toBe('issue-unreadable');
  });

  it('skips everything until tasksource is connected, without asking Jira', async () => {
    // The project's page was saved before anyone connected tasksource: its flag lets events in.
    const flagged = { projectProperties: { '10000': { [PROJECT_FLAG_KEY]: PROJECT_FLAG } } };
    const { skips, deliveries, jiraRequests } = await replay(
      [{ event: makeEvent('avi:jira:created:issue', outsourced) }],
      { settings: null, jira: { '10021': outsourced }, jiraState: flagged },
    );

    expect(deliveries).toHaveLength(0);
    expect(skips[0]?.reason).toBe('not-connected');
    expect(jiraRequests).toHaveLength(0);
  });
});

describe('delivery failures', () => {
  const steps = [
    { jira: { issues: { '10021': outsourced } } },
    { event: makeEvent('avi:jira:created:issue', outsourced) },
  ];
  /** Then long enough for several queued retries, and short of the hourly reconcile. */
  const retried = [...steps, { advance: { seconds: 1800 } }];

  it('queues a retry on 503, and the retry carries the same delivery id', async () => {
    const { lines } = await replay(retried, {
      onStart: ({ receiver }) => receiver.respondWith(503),
    });

    expect(lines.map((line) => line.type)).toEqual(['delivery', 'queued', 'delivery']);
    const [first, , second] = lines as [any, any, any];
    expect([first.status, second.status]).toEqual([503, 200]);
    expect(second.headers['x-atlassian-webhook-identifier']).toBe(
      first.headers['x-atlassian-webhook-identifier'],
    );
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect([
      first.headers['x-atlassian-webhook-retry'],
      second.headers['x-atlassian-webhook-retry'],
    ]).toEqual(['0', '1']);
  });

  it.each([408, 429, 500, 502, 504])('retries on %i', async (status) => {
    const { lines, deliveries } = await replay(retried, {
      onStart: ({ receiver }) => receiver.respondWith(status),
    });

    expect(lines.filter((line) => line.type === 'queued')).toHaveLength(1);
    expect(deliveries.map((line) => line.status)).toEqual([status, 200]);
  });

  it.each([400, 404, 422])(
    'keeps the change as a dead letter on %i, without retrying',
    async (status) => {
      const { lines, kvs } = await replay(retried, {
        onStart: ({ receiver }) => receiver.respondWith(status),
      });

      expect(lines.map((line) => line.type)).toEqual(['delivery', 'deadletter']);
      expect(lines[1]).toMatchObject({ reason: 'rejected', status, attempts: 1 });
      const [key] = Object.keys(kvs.plain).filter((name) => name.startsWith('dead:'));
      expect(kvs.plain[key!]).toMatchObject({
        reason: 'rejected',
        issueKey: 'KAN-22',
        sequence: 1,
      });
    },
  );

  it('stops sending on 410 and keeps what follows as dead letters until reconnected', async () => {
    const next = makeEvent('avi:jira:updated:issue', outsourced, {
      changelog: assigneeChange(null, INTEGRATION, '10900'),
    });
    const { lines, deliveries, kvs } = await replay([...retried, { event: next }], {
      onStart: ({ receiver }) => receiver.respondWith(410),
    });

    expect(deliveries.map((line) => line.status)).toEqual([410]);
    expect(lines.filter((line) => line.type === 'deadletter')).toEqual([
      expect.objectContaining({ reason: 'endpoint-disabled', status: 410 }),
      expect.objectContaining({ reason: 'endpoint-disabled', status: null }),
    ]);
    expect(kvs.secret['settings-v1']).toMatchObject({
      connection: { disabledAt: expect.any(Number) },
    });
    expect(kvs.plain['issue:10021']).toMatchObject({ sequence: 2 });
  });

  it('retries when tasksource cannot be reached at all, until it can', async () => {
    const { lines } = await replay(retried, { target: 'http://127.0.0.1:9/' });

    const deliveries = lines.filter((line) => line.type === 'delivery');
    expect(deliveries.length).toBeGreaterThan(3);
    expect(deliveries.every((line) => line.status === null)).toBe(true);
    expect(lines.filter((line) => line.type === 'queued')).toHaveLength(deliveries.length);
    expect(lines.filter((line) => line.type === 'error' || line.type === 'deadletter')).toEqual([]);
  });
});

describe('secrets', () => {
  it('keeps the webhook URL and signing secret out of plain KVS values', async () => {
    const { kvs } = await replay([
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:created:issue', outsourced) },
    ]);

    const plain = JSON.stringify(kvs.plain);
    expect(plain).not.toContain(WEBHOOK_URL);
    expect(plain).not.toContain('test-company-7');
    expect(plain).not.toContain(SECRET);
    expect(JSON.stringify(kvs.secret)).toContain(SECRET);
  });

  it('keeps them out of every log line, including failures', async () => {
    const written: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      }),
    );
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'debug';
    try {
      await replay(steps(), { onStart: ({ receiver }) => receiver.respondWith(503, 400) });
      await replay(steps(), { target: 'http://127.0.0.1:9/' });
    } finally {
      process.env.LOG_LEVEL = level;
      spies.forEach((spy) => spy.mockRestore());
    }

    expect(written.length).toBeGreaterThan(3);
    const all = written.join('\n');
    expect(all).not.toContain('test-company-7');
    expect(all).not.toContain(SECRET.slice(6));
  });

  function steps() {
    return [
      { jira: { issues: { '10021': outsourced } } },
      { event: makeEvent('avi:jira:created:issue', outsourced) },
      { advance: { seconds: 1800 } },
    ];
  }
});

describe('events that do not identify their change', () => {
  const minimal = { eventType: 'avi:jira:updated:issue', issue: { id: '10021' } };

  it('tells two changes apart by what Jira answers, and still recognises a redelivery', async () => {
    const first = makeIssue({ updated: '2026-12-01T09:30:00.000+0000' });
    const second = makeIssue({ updated: '2026-12-01T09:31:00.000+0000' });

    const { deliveries, skips } = await replay([
      { jira: { issues: { '10021': first } } },
      { event: minimal },
      { event: minimal },
      { jira: { issues: { '10021': second } } },
      { event: minimal },
    ]);

    expect(deliveries).toHaveLength(2);
    expect(skips.map((skip) => skip.reason)).toEqual(['duplicate']);
  });

  it('tells a comment edit from the comment by the version Jira answers', async () => {
    const comment = makeComment();
    const edited = makeComment({ body: 'Edited', updated: '2026-12-01T09:25:00.000+0000' });
    const event = {
      eventType: 'avi:jira:commented:issue',
      issue: { id: '10021' },
      comment: { id: '10100' },
    };

    const { deliveries } = await replay([
      { jira: { issues: { '10021': makeIssue({ comments: [comment] }) } } },
      { event },
      { jira: { issues: { '10021': makeIssue({ comments: [edited] }) } } },
      { event },
    ]);

    expect(deliveries.map((line) => bodyOf(line).webhookEvent)).toEqual([
      'comment_created',
      'comment_updated',
    ]);
  });
});

describe('an assigned:issue from an earlier version, no longer subscribed', () => {
  it('is still delivered once from the queue, and the updated:issue of that assignment is a duplicate', async () => {
    const changelog = assigneeChange(null, INTEGRATION, '10301');
    const assigned = makeEvent('avi:jira:assigned:issue', outsourced, { changelog });
    const scenario = {
      settings: makeSettings(),
      site: { cloudId: 'cloud-0001', baseUrl: SITE },
      jira: { issues: { '10021': outsourced } },
      steps: [],
    };

    await withRunningScenario(scenario, async ({ platform, receiver }) => {
      const skips: string[] = [];
      platform.observe((notice) => {
        for (const line of noticeLines(notice)) if (line.type === 'skip') skips.push(line.reason);
      });
      const message = { type: 'event', event: assigned, attempts: 0, firstAttemptAt: Date.now() };
      await new Queue({ key: DELIVERY_QUEUE }).push([{ body: message }]);
      await platform.runDue();
      await platform.fireTrigger(makeEvent('avi:jira:updated:issue', outsourced, { changelog }));

      expect(receiver.deliveries.map((delivery) => delivery.body)).toEqual([
        expect.objectContaining({
          issue_event_type_name: 'issue_assigned',
          tasksource: expect.objectContaining({ eventType: 'avi:jira:assigned:issue' }),
        }),
      ]);
      expect(skips).toEqual(['duplicate']);
    });
  });
});
