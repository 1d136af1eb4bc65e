import type { ResolverAnswer, ResolverError } from '../settings/page-contract';

/**
 * Reading a failed answer for the form that sent it: which message belongs under which field,
 * and which messages no field on the page claims (shown with the form's error instead, so none
 * is lost).
 */

export type FieldMessages = Readonly<Record<string, string>>;

export function fieldMessages(outcome: ResolverAnswer<unknown> | undefined): FieldMessages {
  if (!outcome || outcome.ok || outcome.error.code !== 'invalid-input') return {};
  return outcome.error.fields ?? {};
}

export function failureOf(outcome: ResolverAnswer<unknown> | undefined): ResolverError | undefined {
  return outcome && !outcome.ok ? outcome.error : undefined;
}

/** Messages for fields other than `claimed`, as `field: message` (`form` is the whole input). */
export function unclaimedMessages(fields: FieldMessages, claimed: readonly string[]): string[] {
  return Object.entries(fields)
    .filter(([name]) => !claimed.some((prefix) => name === prefix || name.startsWith(`${prefix}.`)))
    .map(([name, message]) => (name === 'form' ? message : `${name}: ${message}`));
}

/**
 * Messages about the label list (`labels`) and about single labels (`labels.2`), the latter
 * naming the label as it was sent unless the message already quotes it.
 */
export function labelMessages(fields: FieldMessages, sentLabels: readonly string[]): string[] {
  return Object.entries(fields).flatMap(([name, message]) => {
    if (name === 'labels') return [message];

    const index = /^labels\.(\d+)$/.exec(name)?.[1];
    if (index === undefined) return [];
    const label = sentLabels[Number(index)];
    const named = label === undefined || message.includes(`"${label}"`);
    return [named ? message : `"${label}": ${message}`];
  });
}

/**
 * A save refused because labels only look like existing ones, which `acceptLookalikes`
 * overrides.
 */
export function isLookalikeRefusal(error: ResolverError | undefined): boolean {
  return error?.code === 'invalid-input' && error.confirm === 'lookalike-labels';
}
