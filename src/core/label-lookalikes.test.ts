import { findLookalikes, labelSkeleton } from './label-lookalikes';

describe('findLookalikes', () => {
  it.each([
    ['a different case', 'Acme-web'],
    ['a Cyrillic а', '\u0430cme-web'],
    ['a full-width A', '\uFF21cme-web'],
    ['a Unicode hyphen', 'acme\u2010web'],
    ['an accent', 'acme-wéb'],
  ])('finds acme-web behind %s', (_, lookalike) => {
    expect(findLookalikes(lookalike, ['acme-web', 'other'])).toEqual(['acme-web']);
  });

  it('does not call a label its own look-alike, nor a different label one', () => {
    expect(findLookalikes('acme-web', ['acme-web', 'acme-web2', 'acme_web'])).toEqual([]);
  });

  it('keeps digits and punctuation apart in the skeleton', () => {
    expect(labelSkeleton('Acme-Web_1.2')).toBe('acme-web_1.2');
  });
});
