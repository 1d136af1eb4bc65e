import { isCommentEvent, parseJiraEvent } from './jira-event';

function makeIssueEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'avi:jira:updated:issue',
    timestamp: '1614265330000',
    atlassianId: '5b10ac8d82e05b22cc7d4ef5',
    issue: {
      id: '10042',
      key: 'ACME-42',
      fields: { summary: 'Fix the login page', project: { id: '10000', key: 'ACME' } },
    },
    changelog: { id: '10233', items: [{ field: 'labels', fromString: '', toString: 'acme-web' }] },
    ...overrides,
  };
}

function makeCommentEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'avi:jira:commented:issue',
    timestamp: 1614265330000,
    issue: { id: '10042', key: 'ACME-42' },
    comment: { id: '10019', created: '2021-02-25T15:02:10.000+0000', body: { type: 'doc' } },
    ...overrides,
  };
}

function parseOk(input: unknown) {
  const parsed = parseJiraEvent(input);
  if (!parsed.ok) throw new Error(`expected a parsed event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

describe('parseJiraEvent', () => {
  it.each([
    'avi:jira:created:issue',
    'avi:jira:updated:issue',
    'avi:jira:assigned:issue',
    'avi:jira:deleted:issue',
  ])('accepts a %s event', (eventType) => {
    expect(parseOk(makeIssueEvent({ eventType })).eventType).toBe(eventType);
  });

  it.each(['avi:jira:commented:issue', 'avi:jira:deleted:comment'])(
    'accepts a %s event with its comment',
    (eventType) => {
      expect(parseOk(makeCommentEvent({ eventType })).eventType).toBe(eventType);
    },
  );

  it('normalises numeric issue, project and comment ids to strings', () => {
    const issue = { id: 10042, fields: { project: { id: 10000 } } };
    const event = parseOk(makeCommentEvent({ issue, comment: { id: 10019 } }));

    expect(event.issue.id).toBe('10042');
    expect(event.issue.fields?.project?.id).toBe('10000');
    expect(isCommentEvent(event) && event.comment.id).toBe('10019');
  });

  it('normalises a numeric changelog id to a string', () => {
    const event = parseOk(makeIssueEvent({ changelog: { id: 10233, items: [] } }));

    expect(!isCommentEvent(event) && event.changelog?.id).toBe('10233');
  });

  it.each<[string, unknown, number]>([
    ['epoch milliseconds as a number', 1614265330000, 1614265330000],
    ['epoch milliseconds as a string', '1614265330000', 1614265330000],
    ['an ISO-8601 date', '2021-02-25T15:02:10.000Z', Date.UTC(2021, 1, 25, 15, 2, 10)],
  ])('reads a timestamp given as %s as epoch milliseconds', (_name, timestamp, expected) => {
    expect(parseOk(makeIssueEvent({ timestamp })).timestamp).toBe(expected);
  });

  it('accepts an event without a timestamp', () => {
    expect(parseOk(makeIssueEvent({ timestamp: undefined })).timestamp).toBeUndefined();
  });

  it('keeps fields it does not check', () => {
    const event = parseOk(makeIssueEvent({ jiraEventTypeName: 'issue_moved', extra: 1 }));

    expect(event).toMatchObject({ jiraEventTypeName: 'issue_moved', extra: 1 });
  });

  it.each<[string, unknown]>([
    [
      'an event type the app does not subscribe to',
      makeIssueEvent({ eventType: 'avi:jira:viewed:issue' }),
    ],
    ['a missing event type', makeIssueEvent({ eventType: undefined })],
    ['a non-string event type', makeIssueEvent({ eventType: 42 })],
    ['an event type in the wrong case', makeIssueEvent({ eventType: 'AVI:JIRA:CREATED:ISSUE' })],
  ])('rejects %s as unknown-event-type', (_name, input) => {
    expect(parseJiraEvent(input)).toEqual({
      ok: false,
      reason: 'unknown-event-type',
      issues: [{ path: 'eventType', message: expect.stringContaining('expected a handled') }],
    });
  });

  it.each<[unknown]>([[null], [undefined], [42], ['x'], [[]], [true]])(
    'rejects the non-object %p without throwing',
    (input) => {
      const parsed = parseJiraEvent(input);

      expect(parsed).toMatchObject({ ok: false, reason: 'unknown-event-type' });
      expect(!parsed.ok && parsed.issues.map((issue) => issue.path)).toEqual(['eventType']);
    },
  );

  it.each<[string, unknown, string]>([
    ['a path-like issue id', makeIssueEvent({ issue: { id: '../x' } }), 'issue.id'],
    ['an issue id with a suffix', makeIssueEvent({ issue: { id: '10042/comment' } }), 'issue.id'],
    ['a negative issue id', makeIssueEvent({ issue: { id: -1 } }), 'issue.id'],
    ['a fractional issue id', makeIssueEvent({ issue: { id: 1.5 } }), 'issue.id'],
    ['an empty issue id', makeIssueEvent({ issue: { id: '' } }), 'issue.id'],
    ['a missing issue', makeIssueEvent({ issue: undefined }), 'issue'],
    ['a null issue', makeIssueEvent({ issue: null }), 'issue'],
    [
      'a path-like project id',
      makeIssueEvent({ issue: { id: '1', fields: { project: { id: '../1' } } } }),
      'issue.fields.project.id',
    ],
    ['a comment event without its comment', makeCommentEvent({ comment: undefined }), 'comment'],
    ['a path-like comment id', makeCommentEvent({ comment: { id: '..%2Fx' } }), 'comment.id'],
    ['an unreadable timestamp', makeIssueEvent({ timestamp: 'yesterday' }), 'timestamp'],
    ['a zero timestamp', makeIssueEvent({ timestamp: 0 }), 'timestamp'],
    [
      'an assignee without accountId',
      makeIssueEvent({ issue: { id: '1', fields: { assignee: {} } } }),
      'issue.fields.assignee.accountId',
    ],
  ])('rejects %s as invalid-event naming the field', (_name, input, path) => {
    const parsed = parseJiraEvent(input);

    expect(parsed).toMatchObject({ ok: false, reason: 'invalid-event' });
    expect(!parsed.ok && parsed.issues.map((issue) => issue.path)).toContain(path);
  });

  it('never throws, whatever it is given', () => {
    const circular: Record<string, unknown> = { eventType: 'avi:jira:created:issue' };
    circular.issue = { id: '1', self: circular };
    const hostile: unknown[] = [
      null,
      undefined,
      0,
      NaN,
      '',
      'avi:jira:created:issue',
      [],
      [makeIssueEvent()],
      {},
      Symbol('event'),
      () => makeIssueEvent(),
      BigInt(10042),
      new Date(),
      Object.create(null),
      circular,
      JSON.parse('{"__proto__": {"eventType": "avi:jira:created:issue"}, "issue": {"id": "1"}}'),
      makeIssueEvent({ eventType: 'x'.repeat(100_000) }),
      makeIssueEvent({ issue: { id: BigInt(1) } }),
      makeIssueEvent({ issue: { id: '1'.repeat(10_000) } }),
      makeIssueEvent({ issue: { id: Infinity } }),
      makeIssueEvent({ timestamp: Infinity }),
      makeIssueEvent({ timestamp: -1 }),
      makeIssueEvent({ changelog: { id: {}, items: 'labels' } }),
      makeIssueEvent({ issue: [] }),
      makeIssueEvent({ retryContext: { retryCount: -1 } }),
      makeCommentEvent({ comment: 'deleted' }),
    ];

    for (const input of hostile) {
      expect(() => parseJiraEvent(input)).not.toThrow();

      const parsed = parseJiraEvent(input);
      if (!parsed.ok) expect(parsed.issues.length).toBeGreaterThan(0);
    }
    // Forge events are JSON: a cycle is refused, since it could never be serialised.
    expect(parseJiraEvent(circular)).toMatchObject({ ok: false, reason: 'invalid-event' });
  });

  it('refuses an event nested deeper than any Jira event is', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let level = 0; level < 5_000; level += 1) deep = { deep };
    const event = makeIssueEvent({ changelog: { id: '1', items: [{ field: 'x', extra: deep }] } });

    expect(parseJiraEvent(event)).toMatchObject({ ok: false, reason: 'invalid-event' });
  });

  it('reads a changelog item without toString as null, not as the inherited function', () => {
    const event = makeIssueEvent({
      changelog: { id: '1', items: [{ field: 'summary', from: null, fromString: 'a', to: null }] },
    });
    const parsed = parseJiraEvent(event);
    if (!parsed.ok || isCommentEvent(parsed.event)) throw new Error('expected an issue event');

    expect(parsed.event.changelog?.items[0]).toEqual({
      field: 'summary',
      from: null,
      fromString: 'a',
      to: null,
      toString: null,
    });
  });

  it.each([1796119200000.5, 1e20])(
    'refuses the timestamp %p, which is no whole epoch ms',
    (timestamp) => {
      expect(parseJiraEvent(makeIssueEvent({ timestamp }))).toMatchObject({
        ok: false,
        reason: 'invalid-event',
      });
    },
  );

  it('quotes an unknown event type in its issue, shortened', () => {
    const parsed = parseJiraEvent(makeIssueEvent({ eventType: 'x'.repeat(1000) }));

    expect(!parsed.ok && parsed.issues[0]?.message.length).toBeLessThan(200);
  });
});
