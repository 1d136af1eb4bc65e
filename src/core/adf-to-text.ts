/**
 * Plain text out of an Atlassian Document Format node, for the one place the app cannot ask
 * Jira for wiki markup: a deleted comment, whose body only the event still carries.
 * Marks and layout are dropped; paragraphs, headings, list items and hard breaks become lines.
 */

const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'codeBlock', 'blockquote', 'rule']);

export function adfToText(node: unknown): string {
  if (typeof node === 'string') return node;

  return collect(node, 0)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function collect(node: unknown, depth: number): string {
  if (typeof node !== 'object' || node === null || depth > 40) return '';

  const { type, text, content, attrs } = node as Record<string, unknown>;
  if (type === 'text' && typeof text === 'string') return text;
  if (type === 'hardBreak') return '\n';
  if (type === 'mention' && typeof attrs === 'object' && attrs !== null) {
    const mention = attrs as Record<string, unknown>;
    return typeof mention.id === 'string' ? `[~accountid:${mention.id}]` : '';
  }

  const inner = Array.isArray(content)
    ? content.map((child) => collect(child, depth + 1)).join('')
    : '';
  return typeof type === 'string' && BLOCKS.has(type) ? `${inner}\n` : inner;
}
