import {
  compileExpression,
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  MAX_EXPRESSION_LENGTH,
} from './jira-expression';

/** The local platform's evaluator for trigger filter expressions, case by case. */

const event = {
  eventType: 'avi:jira:updated:issue',
  issue: { id: '10021', fields: { assignee: null, project: { id: '10000' } } },
  runtime: {
    project: {
      properties: {
        flag: { configured: true, off: false, count: 2, text: 'yes', nothing: null },
        text: 'just a string',
        number: 7,
        list: [1, 2],
        'dashed-key': { configured: true },
      },
    },
  },
};

const run = (source: string, variables: unknown = event) =>
  compileExpression(source).evaluate({ event: variables });

describe('compileExpression(...).evaluate', () => {
  it.each([
    ['a true member', "event.runtime.project.properties['flag'].configured == true"],
    ['a dashed key in brackets', "event.runtime.project.properties['dashed-key'].configured"],
    ['dots and brackets mixed', "event['runtime'].project.properties.flag['configured']"],
    ['a string compare', "event.eventType == 'avi:jira:updated:issue'"],
    ['double quotes', 'event.eventType == "avi:jira:updated:issue"'],
    ['a number compare', "event.runtime.project.properties['flag'].count == 2"],
    ['!= on different types, no conversion', "event.runtime.project.properties.flag.count != '2'"],
    ['a null compare', 'event.issue.fields.assignee == null'],
    ['a missing key read as null', "event.runtime.project.properties['absent'] == null"],
    ['?. ending a chain early', "event.runtime.project.properties['absent']?.configured == null"],
    ['?.[ ] on a missing object', "event.runtime.issue?.['x'] == null"],
    ['! on false', "!event.runtime.project.properties['flag'].off"],
    ['! on null', '!event.issue.fields.assignee'],
    ['!! on an object', '!!event.issue.fields.project'],
    [
      '&& of two trues',
      "event.issue.id == '10021' && event.runtime.project.properties.flag.configured",
    ],
    ['|| stopping early', 'true || event.nothing.at.all'],
    ['&& stopping early', 'false && event.nothing.at.all || true'],
    ['parentheses', '!(event.issue.id == "1") && (true || false)'],
    ['escapes in strings', "'it\\'s' == \"it's\""],
    ['a literal on its own', 'true'],
  ])('gives true for %s', (_, source) => {
    expect(run(source)).toBe(true);
  });

  it.each([
    ['a false member', "event.runtime.project.properties['flag'].off == true"],
    [
      'a missing property through ?.',
      "event.runtime.project.properties['absent']?.configured == true",
    ],
    ['a string that is not a boolean', 'event.runtime.project.properties.flag.text == true'],
    ['a number that is not a boolean', 'event.runtime.project.properties.flag.count == true'],
    ['a null value', 'event.runtime.project.properties.flag.nothing == true'],
    ['! on an object', '!event.issue'],
    ['&& with a false side', "true && event.issue.id == '1'"],
    // FORGE.md §4: a path that ends on an object or a list reads as null.
    ['an object compared with true', 'event.issue == true'],
    ['a list compared with true', 'event.runtime.project.properties.list == true'],
  ])('gives false for %s', (_, source) => {
    expect(run(source)).toBe(false);
  });

  it.each([
    [
      'reading through a missing member without ?.',
      "event.runtime.project.properties['absent'].configured == true",
      /Cannot read "configured" of null/,
    ],
    [
      'reading a member of a string',
      "event.runtime.project.properties['text']?.configured == true",
      /of the string "just a string"/,
    ],
    [
      'reading a member of a number',
      'event.runtime.project.properties.number?.configured == true',
      /of the number 7/,
    ],
    [
      'reading a member of a list',
      'event.runtime.project.properties.list?.configured == true',
      /of a list/,
    ],
    ['a missing member of the event', 'event.changelog.id == 1', /Cannot read "id" of null/],
    [
      'a result that is not a boolean',
      "event.runtime.project.properties['absent']?.configured",
      /true or false, got null/,
    ],
    ['a string result', 'event.eventType', /true or false, got the string/],
    [
      '&& with a null side',
      'event.issue.fields.assignee && true',
      /&& takes true or false on its left/,
    ],
    ['|| with a string side', "false || 'yes'", /\|\| takes true or false on its right/],
    ['! on a string', '!event.eventType', /! takes true, false, null or an object/],
  ])('is an evaluation error for %s', (_, source, message) => {
    expect(() => run(source)).toThrow(ExpressionEvaluationError);
    expect(() => run(source)).toThrow(message);
  });

  it('is an evaluation error for an event that is not an object', () => {
    expect(() => run('event.issue.id == 1', 'text')).toThrow(/of the string "text"/);
    expect(() => run('event.issue.id == 1', null)).toThrow(/Cannot read "issue" of null/);
  });

  it.each([
    ['>', 'event.a > 1', /comparison \(>\)/],
    ['>=', 'event.a >= 1', /comparison \(>=\)/],
    ['===', 'event.a === 1', /strict equality \(===\); write ==/],
    ['!==', 'event.a !== 1', /strict inequality \(!==\); write !=/],
    ['arithmetic', 'event.a + 1 == 2', /arithmetic \(\+\)/],
    ['negative numbers', 'event.a == -1', /arithmetic \(-\)/],
    ['method calls', 'event.changelog.items.some(true)', /calls at column 27/],
    ['arrow functions', "event.items.some(i => i.field == 'project')", /arrow functions/],
    ['the conditional operator', 'event.a ? true : false', /conditional operator/],
    ['null coalescing', 'event.a ?? true', /null coalescing/],
    ['numeric indexes', 'event.list[0] == 1', /keys other than quoted strings/],
    ['computed keys', 'event.a[event.b] == 1', /keys other than quoted strings/],
    [
      'other variables',
      "issue.key == 'KAN-1'",
      /the name issue at column 1: a trigger filter sees only event/,
    ],
    ['chained comparisons', 'event.a == event.b == true', /chained comparisons/],
    ['list literals', "event.a == ['x']", /list literals at column 12/],
    ['object literals', 'event.a == {}', /object literals/],
    ['template strings', 'event.a == `x`', /template strings/],
    ['assignment', 'event.a = 1', /assignment \(=\)/],
    ['bitwise operators', 'event.a & true', /bitwise operators/],
  ])('refuses %s when compiled, naming it', (_, source, message) => {
    expect(() => compileExpression(source)).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression(source)).toThrow(message);
  });

  it.each([
    ['an empty expression', '   ', /It is empty/],
    ['an unclosed string', "event.a == 'x", /closing ' for the string at column 12/],
    ['an unclosed bracket', "event['a' == 1", /Expected \] at column 11/],
    ['an unclosed parenthesis', '(true', /Expected \) at the end/],
    ['a trailing operator', 'true &&', /Expected a value at the end/],
    ['a dot without a name', 'event. == 1', /Expected a member name at column 8/],
    ['two values in a row', 'true false', /Expected the end of the expression at column 6/],
  ])('refuses %s as malformed', (_, source, message) => {
    expect(() => compileExpression(source)).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression(source)).toThrow(message);
  });

  it('names everything it does support when it refuses something', () => {
    expect(() => compileExpression('event.a > 1')).toThrow(
      "It knows member access (a.b, a['k'], a?.b, a?.['k']), ==, !=, &&, ||, !, parentheses",
    );
  });

  it("refuses an expression over Forge's 10,000 characters", () => {
    const long = `event.a == '${'x'.repeat(MAX_EXPRESSION_LENGTH)}'`;

    expect(() => compileExpression(long)).toThrow(/at most 10000 characters/);
  });

  it('reads only own members, never what objects inherit', () => {
    expect(run("event['constructor'] == null")).toBe(true);
    expect(run("event.issue['toString'] == null")).toBe(true);
  });
});
