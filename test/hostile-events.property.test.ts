import fc from 'fast-check';

import { parseJiraEvent, SUBSCRIBED_EVENT_TYPES } from '../src/core/jira-event';
import { ALEX, makeEvent, makeIssue } from './support/builders';
import { bodyOf, replay } from './support/replay';

/**
 * Property tests over random and malformed events: parsing never throws; the trigger never
 * throws out, never forwards an issue that is not outsourced, and keeps handling the next event.
 */

const outsourced = makeIssue({ id: '10021', key: 'KAN-22' });
const private_ = makeIssue({ id: '10077', key: 'KAN-77', assignee: ALEX, labels: ['acme-web'] });

/** Events that look roughly like Jira's, with any part of them wrong. */
const eventish = fc.record(
  {
    eventType: fc.oneof(fc.constantFrom(...SUBSCRIBED_EVENT_TYPES), fc.string()),
    timestamp: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    issue: fc.oneof(
      fc.record(
        { id: fc.constantFrom('10021', '10077', 10077, '999', '../x', ''), key: fc.string() },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    changelog: fc.oneof(
      fc.record({
        id: fc.oneof(fc.string(), fc.integer()),
        items: fc.array(fc.anything(), { maxLength: 3 }),
      }),
      fc.anything(),
    ),
    comment: fc.oneof(
      fc.record(
        { id: fc.oneof(fc.string(), fc.integer()), updated: fc.string() },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    selfGenerated: fc.oneof(fc.boolean(), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('parseJiraEvent', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), eventish), (input) => {
        const parsed = parseJiraEvent(input);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the trigger under hostile events', () => {
  it('never throws out, never forwards the issue that is not outsourced, and handles the next event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(eventish, fc.anything()), { minLength: 1, maxLength: 6 }),
        async (hostile) => {
          const steps = hostile.flatMap((event, index) => [
            {
              event:
                typeof event === 'object' && event !== null && !Array.isArray(event)
                  ? event
                  : { garbage: event },
            },
            {
              event: makeEvent('avi:jira:updated:issue', outsourced, {
                changelog: { id: `9${index}`, items: [] },
              }),
            },
          ]);
          const { lines } = await replay([
            { jira: { issues: { '10021': outsourced, '10077': private_ } } },
            ...steps,
          ]);

          expect(lines.filter((line) => line.type === 'error')).toEqual([]);
          const forwarded = lines
            .filter((line) => line.type === 'delivery')
            .map((line) => bodyOf(line as never).issue.id);
          expect(forwarded).not.toContain('10077');
          expect(forwarded.filter((id) => id === '10021').length).toBeGreaterThanOrEqual(
            hostile.length,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
