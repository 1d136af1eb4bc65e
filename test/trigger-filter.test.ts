import { readManifestModules } from '../local/platform/manifest-modules';
import type { TriggerFilter } from '../local/platform/trigger-filter';
import { applyTriggerFilter, compileTriggerFilter } from '../local/platform/trigger-filter';
import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../src/core/project-flag';
import { makeEvent, makeIssue } from './support/builders';

/**
 * The trigger filter `manifest.yml` declares, read and compiled as the local platform does,
 * judged over the project flag the settings page writes: who gets delivered, who is dropped,
 * and what happens when the expression cannot be evaluated.
 */

const filter = readManifestModules().triggers[0]!.filter!;
const event = makeEvent('avi:jira:updated:issue', makeIssue());
const inProject = (properties: Record<string, unknown>) => ({
  project: { id: '10000', key: 'KAN', properties },
});

describe("the manifest's trigger filter", () => {
  it('is the project flag expression, failing open, ignoring the app’s own changes', () => {
    expect(filter.expression?.source).toBe(
      `event.runtime.project.properties['${PROJECT_FLAG_KEY}']?.configured == true`,
    );
    expect(filter.onError).toBe('RECEIVE_AND_LOG');
    expect(filter.ignoreSelf).toBe(true);
  });

  it.each([
    ['a configured project', { [PROJECT_FLAG_KEY]: PROJECT_FLAG }],
    ['a flag with more in it', { [PROJECT_FLAG_KEY]: { configured: true, note: 'x' } }],
  ])('delivers the event of %s', (_, properties) => {
    expect(applyTriggerFilter(filter, event, inProject(properties))).toEqual({ deliver: true });
  });

  it.each([
    ['a project never configured (no properties at all)', {}],
    ['a project with only other apps’ properties', { 'another-app': { configured: true } }],
    ['a flag that says not configured', { [PROJECT_FLAG_KEY]: { configured: false } }],
    ['a flag with configured as text', { [PROJECT_FLAG_KEY]: { configured: 'true' } }],
    ['a flag with configured as a number', { [PROJECT_FLAG_KEY]: { configured: 1 } }],
    ['an empty flag', { [PROJECT_FLAG_KEY]: {} }],
  ])('drops the event of %s, without an error', (_, properties) => {
    expect(applyTriggerFilter(filter, event, inProject(properties))).toEqual({
      deliver: false,
      reason: 'expression-false',
      detail: 'filtered by the platform: the trigger filter expression is false for this event',
      logged: false,
    });
  });

  it.each([
    ['a flag that is a string', { [PROJECT_FLAG_KEY]: 'configured' }, /of the string/],
    ['a flag that is a number', { [PROJECT_FLAG_KEY]: 1 }, /of the number 1/],
    ['a flag that is a boolean', { [PROJECT_FLAG_KEY]: true }, /of the boolean true/],
    ['a flag that is a list', { [PROJECT_FLAG_KEY]: [true] }, /of a list/],
  ])('delivers and logs the event of %s: the expression fails, and fails open', (_, p, error) => {
    const decision = applyTriggerFilter(filter, event, inProject(p));

    expect(decision).toEqual({
      deliver: true,
      error: expect.stringMatching(error),
      onError: 'RECEIVE_AND_LOG',
      logged: true,
    });
  });

  it('delivers and logs an event whose project is unknown (no event.runtime.project)', () => {
    expect(applyTriggerFilter(filter, event, {})).toEqual({
      deliver: true,
      error: expect.stringContaining('Cannot read "properties" of null'),
      onError: 'RECEIVE_AND_LOG',
      logged: true,
    });
  });

  it('drops what the app caused itself, before the expression is looked at', () => {
    const own = { ...event, selfGenerated: true };

    expect(applyTriggerFilter(filter, own, {})).toMatchObject({
      deliver: false,
      reason: 'self-generated',
    });
  });
});

describe('onError', () => {
  const failing = (onError?: string): TriggerFilter =>
    compileTriggerFilter({ expression: 'event.runtime.project.id == "1"', onError }, 'test')!;

  it.each([
    ['RECEIVE_AND_LOG', true, true],
    ['RECEIVE', true, false],
    ['IGNORE_AND_LOG', false, true],
    ['IGNORE', false, false],
    [undefined, false, true],
  ])('%s: delivers %s, logs %s', (onError, deliver, logged) => {
    const decision = applyTriggerFilter(failing(onError), event, {});

    expect(decision).toMatchObject({ deliver, logged });
    if (!decision.deliver) expect(decision.reason).toBe('expression-error');
  });

  it('refuses a value Forge does not know, naming the ones it does', () => {
    expect(() => compileTriggerFilter({ ignoreSelf: true, onError: 'DELIVER' }, 'jira')).toThrow(
      '[manifest] jira: filter.onError must be one of IGNORE_AND_LOG, IGNORE, RECEIVE_AND_LOG, RECEIVE',
    );
  });

  it('refuses an expression the local evaluator cannot judge when the manifest is read', () => {
    expect(() => compileTriggerFilter({ expression: 'event.a > 1' }, 'jira')).toThrow(
      /Not supported by the local platform's evaluator: comparison \(>\)/,
    );
  });
});
