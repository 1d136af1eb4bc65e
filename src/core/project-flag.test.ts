import { flagStateOf, needsFlag, PROJECT_FLAG } from './project-flag';

describe('flagStateOf', () => {
  it.each<[string, unknown, 'set' | 'missing']>([
    ['the flag the app writes', PROJECT_FLAG, 'set'],
    ['the flag with more in it', { configured: true, by: 'someone' }, 'set'],
    ['no property', undefined, 'missing'],
    ['configured false', { configured: false }, 'missing'],
    ['configured as text', { configured: 'true' }, 'missing'],
    ['an empty object', {}, 'missing'],
    ['a bare true', true, 'missing'],
    ['a list', [{ configured: true }], 'missing'],
    ['null', null, 'missing'],
  ])('reads %s as %s', (_, stored, state) => {
    expect(flagStateOf(stored)).toBe(state);
  });
});

describe('needsFlag', () => {
  const settings = { labels: ['acme-web'], enabled: true };

  it.each([
    ['a configured project without its flag', true, settings, 'missing'],
    ['a disabled project without its flag', true, { ...settings, enabled: false }, 'missing'],
    ['a configured project with its flag', false, settings, 'set'],
    ['a project without settings', false, undefined, 'missing'],
  ] as const)('answers for %s: %s', (_, expected, project, state) => {
    expect(needsFlag(project, state)).toBe(expected);
  });
});
