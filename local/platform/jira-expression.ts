/**
 * A strict evaluator for the small part of Jira expressions that a trigger `filter.expression`
 * in this app's manifest uses (FORGE.md §4): the variable `event`, member access (`a.b`,
 * `a['key']`), optional chaining (`a?.b`, `a?.['key']`), `==`, `!=`, `&&`, `||`, `!`,
 * parentheses, and string, number, `true`, `false` and `null` literals. Anything else is refused
 * when the expression is compiled, with an error naming what is not supported, so a manifest
 * change the local platform cannot judge fails loudly instead of being guessed at.
 *
 * Semantics, as far as Jira's are known: reading a key an object lacks gives `null`; reading a
 * member of `null` is an error unless `?.` guards it, which then ends the whole chain as `null`;
 * a member of a string, number, boolean or list is an error here; `==` compares strings,
 * numbers, booleans and `null` without conversion, an object or a list reading as `null`;
 * `&&` and `||` take booleans and stop early;
 * the whole expression must give `true` or `false`. Errors at evaluation are what Forge hands to
 * the filter's `onError`.
 */

export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
}

export class ExpressionEvaluationError extends Error {
  override readonly name = 'ExpressionEvaluationError';
}

export interface CompiledExpression {
  readonly source: string;
  /** True or false; throws `ExpressionEvaluationError` where Forge would report an error. */
  evaluate(variables: { readonly event: unknown }): boolean;
}

/** Forge's limit on the expression's length (FORGE.md §4). */
export const MAX_EXPRESSION_LENGTH = 10_000;

const SUPPORTED =
  "member access (a.b, a['k'], a?.b, a?.['k']), ==, !=, &&, ||, !, parentheses, " +
  'and string, number, true, false and null literals';

export function compileExpression(source: string): CompiledExpression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(
      `[expression] Expected at most ${MAX_EXPRESSION_LENGTH} characters, got ${source.length}`,
    );
  }

  const tree = new Parser(source, tokenize(source)).parseAll();
  return {
    source,
    evaluate: (variables) => {
      const result = settle(evaluate(tree, variables));
      if (typeof result === 'boolean') return result;
      throw new ExpressionEvaluationError(
        `[expression] Expected the expression to give true or false, got ${kindOf(result)}`,
      );
    },
  };
}

// ---- Tokens ----

type Token =
  | { readonly type: 'name'; readonly text: string; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number }
  | { readonly type: 'number'; readonly value: number; readonly at: number }
  | { readonly type: 'punct'; readonly text: Punct; readonly at: number };

type Punct = '.' | '?.' | '[' | ']' | '(' | ')' | '==' | '!=' | '&&' | '||' | '!';

/** Longest first, so `!=` is not read as `!`. */
const PUNCTS: readonly Punct[] = ['?.', '==', '!=', '&&', '||', '.', '[', ']', '(', ')', '!'];

/** Operators of the wider language, named so the refusal says what was written. */
const UNSUPPORTED: readonly [string, string][] = [
  ['===', 'strict equality (===); write =='],
  ['!==', 'strict inequality (!==); write !='],
  ['=>', 'arrow functions'],
  ['>=', 'comparison (>=)'],
  ['<=', 'comparison (<=)'],
  ['??', 'null coalescing (??)'],
  ['>', 'comparison (>)'],
  ['<', 'comparison (<)'],
  ['+', 'arithmetic (+)'],
  ['-', 'arithmetic (-)'],
  ['*', 'arithmetic (*)'],
  ['/', 'arithmetic (/)'],
  ['%', 'arithmetic (%)'],
  ['?', 'the conditional operator (? :)'],
  [':', 'the conditional operator (? :)'],
  [',', 'lists and argument lists (,)'],
  ['=', 'assignment (=)'],
  ['&', 'bitwise operators (&)'],
  ['|', 'bitwise operators (|)'],
  ['{', 'object literals ({ })'],
  ['}', 'object literals ({ })'],
  ['`', 'template strings (`)'],
  [';', 'statements (;)'],
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] ?? '';
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }

    const token = readToken(source, at);
    tokens.push(token.token);
    at = token.end;
  }
  return tokens;
}

function readToken(source: string, at: number): { token: Token; end: number } {
  const rest = source.slice(at);
  const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
  if (name) return { token: { type: 'name', text: name[0], at }, end: at + name[0].length };

  const number = /^[0-9]+(\.[0-9]+)?/.exec(rest);
  if (number) {
    return { token: { type: 'number', value: Number(number[0]), at }, end: at + number[0].length };
  }
  if (rest.startsWith("'") || rest.startsWith('"')) return readString(source, at);

  // `===` and `!==` before `==` and `!=`; `?.` before a digit is the conditional operator.
  const strict = UNSUPPORTED.find(([text]) => text.length === 3 && rest.startsWith(text));
  const punct = strict ? undefined : PUNCTS.find((candidate) => rest.startsWith(candidate));
  if (punct && !(punct === '?.' && /^\?\.[0-9]/.test(rest))) {
    return { token: { type: 'punct', text: punct, at }, end: at + punct.length };
  }

  const refused = strict ?? UNSUPPORTED.find(([text]) => rest.startsWith(text));
  const what = refused ? refused[1] : `the character ${JSON.stringify(rest[0])}`;
  throw unsupported(`${what} at column ${at + 1}`);
}

function readString(source: string, at: number): { token: Token; end: number } {
  const quote = source[at];
  let value = '';
  for (let index = at + 1; index < source.length; index += 1) {
    const char = source[index];
    if (char === quote) return { token: { type: 'string', value, at }, end: index + 1 };
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined) break;
      value += ESCAPES[next] ?? next;
      index += 1;
    } else {
      value += char;
    }
  }
  throw new ExpressionSyntaxError(
    `[expression] Expected a closing ${quote} for the string at column ${at + 1}`,
  );
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

// ---- Syntax tree ----

type Node =
  | { readonly kind: 'literal'; readonly value: null | boolean | number | string }
  | { readonly kind: 'event' }
  | {
      readonly kind: 'member';
      readonly object: Node;
      readonly key: string;
      readonly optional: boolean;
      /** The chain as written, for error messages: `event.runtime.project`. */
      readonly text: string;
    }
  | { readonly kind: 'group'; readonly inner: Node }
  | { readonly kind: 'not'; readonly operand: Node }
  | {
      readonly kind: 'binary';
      readonly op: '==' | '!=' | '&&' | '||';
      readonly left: Node;
      readonly right: Node;
    };

/**
 * expression := and ('||' and)*
 * and        := equality ('&&' equality)*
 * equality   := unary (('==' | '!=') unary)?
 * unary      := '!' unary | chain
 * chain      := primary ('.' name | '?.' name | '[' string ']' | '?.' '[' string ']')*
 * primary    := 'event' | string | number | 'true' | 'false' | 'null' | '(' expression ')'
 */
class Parser {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseAll(): Node {
    if (this.tokens.length === 0) throw new ExpressionSyntaxError('[expression] It is empty');

    const tree = this.parseOr();
    const extra = this.tokens[this.index];
    if (extra) throw this.unexpected(extra, 'the end of the expression');
    return tree;
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.takePunct('||')) left = { kind: 'binary', op: '||', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseEquality();
    while (this.takePunct('&&')) {
      left = { kind: 'binary', op: '&&', left, right: this.parseEquality() };
    }
    return left;
  }

  private parseEquality(): Node {
    const left = this.parseUnary();
    const op = this.takePunct('==') ?? this.takePunct('!=');
    if (!op) return left;

    const right = this.parseUnary();
    const next = this.peek();
    if (next?.type === 'punct' && (next.text === '==' || next.text === '!=')) {
      throw unsupported(`chained comparisons at column ${next.at + 1}; add parentheses`);
    }
    return { kind: 'binary', op, left, right };
  }

  private parseUnary(): Node {
    if (this.takePunct('!')) return { kind: 'not', operand: this.parseUnary() };
    return this.parseChain();
  }

  private parseChain(): Node {
    let node = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token?.type !== 'punct') return node;
      if (token.text === '(') throw unsupported(`calls at column ${token.at + 1}`);
      if (token.text !== '.' && token.text !== '?.' && token.text !== '[') return node;

      this.index += 1;
      const optional = token.text === '?.';
      const bracket = token.text === '[' || (optional && this.takePunct('['));
      node = bracket ? this.parseIndex(node, optional) : this.parseName(node, optional);
    }
  }

  private parseName(object: Node, optional: boolean): Node {
    const token = this.next('a member name');
    if (token.type !== 'name') throw this.unexpected(token, 'a member name');

    const text = `${textOf(object)}${optional ? '?.' : '.'}${token.text}`;
    return { kind: 'member', object, key: token.text, optional, text };
  }

  private parseIndex(object: Node, optional: boolean): Node {
    const token = this.next('a quoted key');
    if (token.type !== 'string') {
      throw unsupported(`keys other than quoted strings in [ ] at column ${token.at + 1}`);
    }
    const close = this.next(']');
    if (close.type !== 'punct' || close.text !== ']') throw this.unexpected(close, ']');

    const text = `${textOf(object)}${optional ? '?.' : ''}[${JSON.stringify(token.value)}]`;
    return { kind: 'member', object, key: token.value, optional, text };
  }

  private parsePrimary(): Node {
    const token = this.next('a value');
    if (token.type === 'string' || token.type === 'number') {
      return { kind: 'literal', value: token.value };
    }
    if (token.type === 'punct') {
      if (token.text === '[') throw unsupported(`list literals at column ${token.at + 1}`);
      if (token.text !== '(') throw this.unexpected(token, 'a value');
      const inner = this.parseOr();
      const close = this.next(')');
      if (close.type !== 'punct' || close.text !== ')') throw this.unexpected(close, ')');
      return { kind: 'group', inner };
    }

    if (token.text === 'true' || token.text === 'false') {
      return { kind: 'literal', value: token.text === 'true' };
    }
    if (token.text === 'null') return { kind: 'literal', value: null };
    if (token.text === 'event') return { kind: 'event' };
    throw unsupported(
      `the name ${token.text} at column ${token.at + 1}: a trigger filter sees only event`,
    );
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.index];
    if (!token) {
      throw new ExpressionSyntaxError(
        `[expression] Expected ${expected} at the end of ${JSON.stringify(this.source)}`,
      );
    }
    this.index += 1;
    return token;
  }

  private takePunct<P extends Punct>(text: P): P | undefined {
    const token = this.tokens[this.index];
    if (token?.type !== 'punct' || token.text !== text) return undefined;
    this.index += 1;
    return text;
  }

  private unexpected(token: Token, expected: string): ExpressionSyntaxError {
    const got = token.type === 'string' ? JSON.stringify(token.value) : String(textOfToken(token));
    return new ExpressionSyntaxError(
      `[expression] Expected ${expected} at column ${token.at + 1}, got ${got}`,
    );
  }
}

function textOfToken(token: Token): string | number {
  return token.type === 'name' || token.type === 'punct' ? token.text : token.value;
}

function textOf(node: Node): string {
  if (node.kind === 'event') return 'event';
  if (node.kind === 'member') return node.text;
  return '(…)';
}

function unsupported(what: string): ExpressionSyntaxError {
  return new ExpressionSyntaxError(
    `[expression] Not supported by the local platform's evaluator: ${what}. It knows ${SUPPORTED}.`,
  );
}

// ---- Evaluation ----

/** A chain that `?.` ended early: `null` once the chain is used. */
const ENDED = Symbol('ended');

type Result = unknown;

function evaluate(node: Node, variables: { readonly event: unknown }): Result {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'event':
      return variables.event;
    case 'group':
      return settle(evaluate(node.inner, variables));
    case 'member':
      return readMember(node, evaluate(node.object, variables));
    case 'not':
      return not(settle(evaluate(node.operand, variables)));
    case 'binary':
      return binary(node, variables);
  }
}

function readMember(node: Extract<Node, { kind: 'member' }>, object: Result): Result {
  if (object === ENDED) return ENDED;
  if (object === null || object === undefined) {
    if (node.optional) return ENDED;
    throw new ExpressionEvaluationError(
      `[expression] Cannot read ${JSON.stringify(node.key)} of null: ${textOf(node.object)} is null; ?. would allow that`,
    );
  }
  if (typeof object !== 'object' || Array.isArray(object)) {
    throw new ExpressionEvaluationError(
      `[expression] Cannot read ${JSON.stringify(node.key)} of ${kindOf(object)}: ${textOf(node.object)} is not an object`,
    );
  }

  return Object.hasOwn(object, node.key)
    ? ((object as Record<string, unknown>)[node.key] ?? null)
    : null;
}

function not(value: unknown): boolean {
  if (typeof value === 'boolean') return !value;
  if (value === null) return true;
  if (typeof value === 'object') return false;
  throw new ExpressionEvaluationError(
    `[expression] ! takes true, false, null or an object, got ${kindOf(value)}`,
  );
}

function binary(node: Extract<Node, { kind: 'binary' }>, variables: { event: unknown }): boolean {
  const left = settle(evaluate(node.left, variables));
  if (node.op === '&&' || node.op === '||') {
    const first = requireBoolean(left, node.op, 'left');
    if (node.op === '&&' ? !first : first) return first;
    return requireBoolean(settle(evaluate(node.right, variables)), node.op, 'right');
  }

  const right = settle(evaluate(node.right, variables));
  const equal = comparable(left) === comparable(right);
  return node.op === '==' ? equal : !equal;
}

function requireBoolean(value: unknown, op: string, side: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new ExpressionEvaluationError(
    `[expression] ${op} takes true or false on its ${side}, got ${kindOf(value)}`,
  );
}

/**
 * What `==` and `!=` compare. A path that ends on an object or a list reads as `null`, as
 * FORGE.md §4 says of entity-property paths that end on a non-primitive value.
 */
function comparable(value: unknown): null | boolean | number | string {
  if (value === null || ['boolean', 'number', 'string'].includes(typeof value)) {
    return value as null | boolean | number | string;
  }
  return null;
}

/** A chain's value once it is used: `null` where `?.` ended it, or Jira had no value. */
function settle(value: Result): unknown {
  return value === ENDED || value === undefined ? null : value;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
