import { parseScenario, ScenarioError } from '../local/replay/scenario';

/** The scenario frame: what is refused, and that the message names the bad path. */

function refusal(input: unknown): string {
  try {
    parseScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

describe('parseScenario', () => {
  it.each([
    ['a root that is not an object', [], '(root)'],
    ['steps that are not an array', { steps: {} }, 'steps'],
    [
      'a null step',
      { steps: [null] },
      'steps.0: expected exactly one of jira, event, resolve, receiver, kvs, advance, parallel; got null',
    ],
    ['a step with both kinds', { steps: [{ jira: { issues: {} }, event: {} }] }, 'got jira, event'],
    ['an event that is not an object', { steps: [{ event: 'hello' }] }, 'steps.0.event'],
    [
      'a __proto__ issue id',
      JSON.parse('{"steps":[],"jira":{"issues":{"__proto__":{}}}}'),
      'jira.issues.__proto__',
    ],
    [
      'a __proto__ project',
      JSON.parse(
        '{"steps":[],"settings":{"webhookUrl":"x","integrationAccountId":"y","projects":{"__proto__":{}}}}',
      ),
      'settings.projects.__proto__',
    ],
    [
      'a site URL that is not https',
      { steps: [], site: { cloudId: 'c', baseUrl: 'http://x.atlassian.net' } },
      'site.baseUrl',
    ],
    [
      'project properties keyed by project key',
      { steps: [], jira: { projectProperties: { KAN: { k: true } } } },
      'jira.projectProperties.KAN',
    ],
    [
      'a jira step with nothing in it',
      { steps: [{ jira: {} }] },
      'steps.0.jira: expected issues, faults, projectProperties, or some of them',
    ],
  ])('refuses %s, naming where', (_, input, expected) => {
    expect(refusal(input)).toContain(expected);
  });

  it.each([
    ['zero seconds', { advance: { seconds: 0 } }, 'steps.0.advance.seconds: expected a positive'],
    [
      'negative seconds',
      { advance: { seconds: -60 } },
      'steps.0.advance.seconds: expected a positive',
    ],
    ['a fraction', { advance: { seconds: 1.5 } }, 'steps.0.advance.seconds: expected a whole'],
    ['text', { advance: { seconds: '60' } }, 'steps.0.advance.seconds: expected a whole'],
    ['more than 30 days', { advance: { seconds: 2_592_001 } }, 'at most 2592000 seconds (30 days)'],
    ['no seconds', { advance: {} }, 'steps.0.advance.seconds'],
    ['an unknown key', { advance: { seconds: 1, minutes: 1 } }, 'minutes'],
  ])('refuses an advance step with %s', (_, step, expected) => {
    expect(refusal({ steps: [step] })).toContain(expected);
  });

  it('refuses advance inside parallel, saying where it belongs', () => {
    const message = refusal({
      steps: [{ parallel: [{ event: {} }, { advance: { seconds: 60 } }] }],
    });

    expect(message).toContain('steps.0.parallel.1: advance cannot run inside parallel');
    expect(message).toContain('a step of its own');
  });

  it.each([
    ['a nested parallel', { parallel: [{ parallel: [{ event: {} }] }] }, 'cannot be nested'],
    ['an empty parallel', { parallel: [] }, 'steps.0.parallel: expected a non-empty array'],
    [
      'a receiver answer it does not know',
      { receiver: { respond: ['later'] } },
      'steps.0.receiver.respond.0: expected a status (100 to 599), {"status", "retryAfter"}',
    ],
    [
      'an unknown step inside parallel',
      { parallel: [{ nothing: 1 }] },
      'expected exactly one of jira, event, resolve, receiver, kvs; got nothing',
    ],
  ])('refuses %s, saying what is expected', (_, step, expected) => {
    expect(refusal({ steps: [step] })).toContain(expected);
  });

  it('accepts an advance step of up to 30 days', () => {
    const scenario = parseScenario({
      steps: [{ note: 'a month', advance: { seconds: 2_592_000 } }],
    });

    expect(scenario.steps).toEqual([{ note: 'a month', advance: { seconds: 2_592_000 } }]);
  });

  it('refuses nesting deeper than it can copy, with a shortened path', () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 1_000; level += 1) deep = { d: deep };

    const message = refusal({ steps: [{ jira: { issues: { '1': deep } } }] });
    expect(message).toContain('levels of nesting');
    expect(message.length).toBeLessThan(200);
  });

  it('keeps a step note and hands the event on untouched', () => {
    const event = { eventType: 'anything', nested: { kept: [1, 2] } };
    const scenario = parseScenario({ steps: [{ note: 'n', event }] });

    expect(scenario.steps).toEqual([{ note: 'n', event }]);
  });
});
