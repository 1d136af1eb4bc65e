import { adfToText } from './adf-to-text';

const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const item = (...content: unknown[]) => ({ type: 'listItem', content });
const bulletList = (...items: unknown[]) => ({ type: 'bulletList', content: items });

/** The non-empty lines, so tests pin what a reader sees rather than exact blank lines. */
const lines = (value: string) => value.split('\n').filter((line) => line.trim() !== '');

describe('adfToText', () => {
  it('puts each paragraph on its own line', () => {
    expect(adfToText(doc(paragraph(text('First.')), paragraph(text('Second.'))))).toBe(
      'First.\nSecond.',
    );
  });

  it('joins the text runs of one paragraph, dropping marks', () => {
    const bold = { type: 'text', text: 'really', marks: [{ type: 'strong' }] };

    expect(adfToText(doc(paragraph(text('This is '), bold, text(' urgent.'))))).toBe(
      'This is really urgent.',
    );
  });

  it('turns a hard break into a line break', () => {
    expect(
      adfToText(doc(paragraph(text('Line one'), { type: 'hardBreak' }, text('Line two')))),
    ).toBe('Line one\nLine two');
  });

  it('writes a mention as a Jira wiki-markup account mention', () => {
    const mention = { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Ana' } };

    expect(adfToText(doc(paragraph(text('Ping '), mention, text(' please'))))).toBe(
      'Ping [~accountid:5b10ac8d82e05b22cc7d4ef5] please',
    );
  });

  it('drops a mention without an account id', () => {
    expect(adfToText(doc(paragraph(text('Hi '), { type: 'mention', attrs: { id: 7 } })))).toBe(
      'Hi',
    );
  });

  it('puts each list item, nested ones included, on its own line in order', () => {
    const nested = bulletList(
      item(paragraph(text('one'))),
      item(
        paragraph(text('two')),
        bulletList(item(paragraph(text('two.a'))), item(paragraph(text('two.b')))),
      ),
      item(paragraph(text('three'))),
    );

    const result = adfToText(doc(paragraph(text('Steps:')), nested));

    expect(lines(result)).toEqual(['Steps:', 'one', 'two', 'two.a', 'two.b', 'three']);
    expect(result).not.toMatch(/\n{3,}/);
  });

  it('puts headings, code blocks and quotes on their own lines', () => {
    const value = doc(
      { type: 'heading', attrs: { level: 2 }, content: [text('Title')] },
      { type: 'codeBlock', content: [text('npm test')] },
      { type: 'blockquote', content: [paragraph(text('Quoted'))] },
    );

    expect(lines(adfToText(value))).toEqual(['Title', 'npm test', 'Quoted']);
  });

  it('returns a string body unchanged', () => {
    expect(adfToText('Already *wiki* markup\nwith lines')).toBe(
      'Already *wiki* markup\nwith lines',
    );
  });

  it('returns an empty string for an empty document', () => {
    expect(adfToText(doc())).toBe('');
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['NaN', NaN],
    ['a boolean', true],
    ['an array', [text('loose')]],
    ['an empty object', {}],
    ['a text node without text', { type: 'text', text: 42 }],
    ['content that is not an array', { type: 'paragraph', content: 'text' }],
    ['content full of junk', doc(null, 1, 'x', [], { type: 7 }, { content: null })],
    ['a mention without attrs', doc(paragraph({ type: 'mention' }))],
    ['an object without a prototype', Object.create(null)],
  ])('gives a string, without throwing, for %s', (_name, value) => {
    expect(typeof adfToText(value)).toBe('string');
  });

  it('does not overflow the stack on very deep nesting', () => {
    let node: unknown = text('bottom');
    for (let depth = 0; depth < 100_000; depth += 1) node = { type: 'blockquote', content: [node] };

    expect(() => adfToText(doc(paragraph(text('top')), node))).not.toThrow();
    expect(adfToText(doc(paragraph(text('top')), node))).toContain('top');
  });
});
