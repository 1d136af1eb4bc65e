import type { Replayed } from './replay';
import { bodyOf } from './replay';

/**
 * What issue 4 promises, checked over everything the receiver saw in a replay: each delivery id
 * accepted (2xx) at most once and never attempted again after that; per issue, accepted bodies
 * in strictly increasing `tasksource.sequence`; and every change either accepted or kept as a
 * dead letter. Returns the problems found, so a failing test says exactly what broke.
 */

export interface DeliveryAccount {
  /** Delivery ids tasksource accepted, in the order it accepted them. */
  readonly accepted: string[];
  /** Delivery ids kept in dead letters at the end. */
  readonly deadLetters: string[];
  /** Accepted sequences per issue id, in arrival order. */
  readonly sequences: Record<string, number[]>;
  readonly problems: string[];
}

export function accountFor(replayed: Replayed): DeliveryAccount {
  const accepted: string[] = [];
  const sequences: Record<string, number[]> = {};
  const problems: string[] = [];
  const acceptedSet = new Set<string>();

  for (const line of replayed.deliveries) {
    const id = line.headers['x-atlassian-webhook-identifier'] ?? '(none)';
    const body = bodyOf(line);
    if (body.webhookEvent === 'tasksource:ping') continue;

    if (acceptedSet.has(id)) problems.push(`${id} was sent again after tasksource accepted it`);
    const ok = line.status !== null && line.status >= 200 && line.status <= 299;
    if (!ok) continue;

    acceptedSet.add(id);
    accepted.push(id);
    const issueId = String(body.tasksource?.issueId);
    const sequence = Number(body.tasksource?.sequence);
    const seen = (sequences[issueId] ??= []);
    const last = seen[seen.length - 1];
    if (last !== undefined && sequence <= last) {
      problems.push(`issue ${issueId}: sequence ${sequence} arrived after ${last}`);
    }
    seen.push(sequence);
    if (!line.verified) problems.push(`${id} was accepted with a signature that does not verify`);
  }

  const deadLetters = Object.keys(replayed.kvs.plain)
    .filter((key) => key.startsWith('dead:'))
    .map((key) => key.slice('dead:'.length));
  for (const id of deadLetters) {
    if (acceptedSet.has(id)) problems.push(`${id} is a dead letter although it was delivered`);
  }
  return { accepted, deadLetters, sequences, problems };
}

/**
 * Asserts the promise over a replay in which `changes` outsourced changes were made: nothing
 * broke it, each change was accepted or is a dead letter, and no invocation ran over its
 * Forge time limit or failed for good.
 */
export function expectPromiseKept(replayed: Replayed, changes: number): DeliveryAccount {
  const account = accountFor(replayed);

  expect(account.problems).toEqual([]);
  expect(account.accepted.length + account.deadLetters.length).toBe(changes);
  expect(replayed.result.platform.overruns()).toEqual([]);
  expect(replayed.lines.filter((line) => line.type === 'error')).toEqual([]);
  return account;
}
