/**
 * Redaction for anything that leaves the function as text: logs, error messages, resolver
 * answers. Two layers, because either alone leaks sooner or later:
 * - by key: fields whose name says they hold a credential are replaced wholesale;
 * - by value: secrets loaded at run time (the webhook URL, the signing secret) are registered
 *   and replaced wherever they appear inside any string.
 */

const SECRET_KEY = /secret|signature|authorization|token|password|webhookurl|cookie/i;
const REDACTED = '[redacted]';

export class Redactor {
  /** Longest first, so a secret that contains a shorter one is replaced whole. */
  private longestFirst: readonly string[] = [];

  /** Registers a value that must never be printed. Very short values are ignored. */
  addSecret(value: string | undefined): void {
    if (value === undefined || value.length < 8 || this.longestFirst.includes(value)) return;

    this.longestFirst = [...this.longestFirst, value].sort((a, b) => b.length - a.length);
  }

  redactText(text: string): string {
    let result = text;
    for (const secret of this.longestFirst) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[too deep]';

    if (value instanceof Date) return value.toISOString();
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]';
    if (value instanceof Error) {
      return { name: value.name, message: this.redactText(value.message) };
    }
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));

    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = SECRET_KEY.test(key) ? REDACTED : this.redactValue(item, depth + 1);
    }
    return result;
  }
}
