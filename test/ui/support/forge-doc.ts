/**
 * Reading a rendered forgeDoc the way a user reads the page: by visible text, labels, buttons
 * and messages. Nodes are `{type, props, children}`; text is a `String` node with `props.text`.
 */

export interface ForgeNode {
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly children: readonly ForgeNode[];
}

/** Input components that a `Label` points at with `labelFor`. */
export const INPUT_TYPES = ['Textfield', 'TextArea', 'Select', 'Toggle', 'Checkbox', 'RadioGroup'];

export function findAll(root: ForgeNode, matches: (node: ForgeNode) => boolean): ForgeNode[] {
  const found = matches(root) ? [root] : [];
  return found.concat(root.children.flatMap((child) => findAll(child, matches)));
}

export function ofType(root: ForgeNode, ...types: string[]): ForgeNode[] {
  return findAll(root, (node) => types.includes(node.type));
}

/** All text under `node`, pieces joined by single spaces. */
export function textOf(node: ForgeNode): string {
  return ofType(node, 'String')
    .map((text) => String(text.props.text))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function pageText(root: ForgeNode): string {
  return textOf(root);
}

export function button(root: ForgeNode, text: string): ForgeNode {
  return only(
    ofType(root, 'Button', 'LoadingButton').filter((node) => textOf(node) === text),
    `button "${text}"`,
  );
}

export function buttons(root: ForgeNode, text: string): ForgeNode[] {
  return ofType(root, 'Button', 'LoadingButton').filter((node) => textOf(node) === text);
}

export function form(root: ForgeNode): ForgeNode {
  return only(ofType(root, 'Form'), 'form');
}

export interface LabelledInput {
  readonly label: ForgeNode;
  readonly input: ForgeNode;
}

/** The input a label with this text is bound to, found by `labelFor` === the input's `id`. */
export function inputLabelled(root: ForgeNode, labelText: string): ForgeNode {
  const label = only(
    ofType(root, 'Label').filter((node) => textOf(node) === labelText),
    `label "${labelText}"`,
  );
  return only(
    findAll(
      root,
      (node) => INPUT_TYPES.includes(node.type) && node.props.id === label.props.labelFor,
    ),
    `input for label "${labelText}" (labelFor ${String(label.props.labelFor)})`,
  );
}

/** Every label with the input it points at; `input` is missing when none has its id. */
export function labelBindings(root: ForgeNode): { label: string; input?: ForgeNode }[] {
  return ofType(root, 'Label').map((label) => ({
    label: textOf(label),
    input: findAll(root, (node) => node.props.id === label.props.labelFor && node !== label)[0],
  }));
}

export interface ShownMessage {
  readonly appearance: unknown;
  readonly title: unknown;
  readonly text: string;
}

export function sectionMessages(root: ForgeNode): ShownMessage[] {
  return ofType(root, 'SectionMessage').map((node) => ({
    appearance: node.props.appearance,
    title: node.props.title,
    text: textOf(node),
  }));
}

export function errorMessages(root: ForgeNode): string[] {
  return ofType(root, 'ErrorMessage').map(textOf);
}

/** The field block (label, input, hint, errors) that holds the input with this id. */
export function fieldAround(root: ForgeNode, inputId: unknown): ForgeNode {
  return only(
    findAll(
      root,
      (node) =>
        node.type === 'Stack' &&
        node.children.some((child) => child.type === 'Label' && child.props.labelFor === inputId),
    ),
    `field block for ${String(inputId)}`,
  );
}

function only(nodes: ForgeNode[], what: string): ForgeNode {
  if (nodes.length !== 1) throw new Error(`Expected one ${what}, found ${nodes.length}`);
  return nodes[0] as ForgeNode;
}

export interface TableRow {
  readonly key: unknown;
  readonly highlighted: boolean;
  /** Each cell's text, in column order. */
  readonly texts: string[];
  readonly cells: ForgeNode[];
}

export interface ShownTable {
  readonly head: string[];
  readonly rows: TableRow[];
}

/**
 * A DynamicTable as @forge/react sends it: `ContentWrapper` `head` holding `Cell`s, and
 * `ContentWrapper` `rows` holding `Row`s of `Cell`s.
 */
export function dynamicTable(root: ForgeNode): ShownTable {
  const table = only(ofType(root, 'DynamicTable'), 'DynamicTable');
  const part = (name: string) =>
    table.children.find((child) => child.type === 'ContentWrapper' && child.props.name === name);

  return {
    head: (part('head')?.children ?? []).map(textOf),
    rows: (part('rows')?.children ?? []).map((row) => ({
      key: row.props.rowKey,
      highlighted: row.props.isHighlighted === true,
      texts: row.children.map(textOf),
      cells: [...row.children],
    })),
  };
}
