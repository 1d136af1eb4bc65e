import { RESENT_TOGETHER } from '../core/dead-letter';
import type { DeadLetter } from '../core/dead-letter';
import type { DeliveryLogEntry } from '../core/delivery-log';
import { Redactor } from '../core/redact';
import type { StoredConnection } from '../core/settings';
import { explainDeadLetter } from './dead-letter-explanations';
import type { DeadLetterView, DeliveryList, DeliveryView } from './page-contract';

/**
 * The delivery log as the pages show it: dead letters on top, then the last deliveries, each
 * newest first and capped. Only the fields a person reads; error texts pass a redactor that
 * knows the saved webhook URL and secret, so a credential that reached a stored sentence
 * still never reaches the page.
 */

/** Rows of each kind a page gets at most. */
export const MAX_LISTED = 100;

export function listDeliveries(
  letters: readonly DeadLetter[],
  entries: readonly DeliveryLogEntry[],
  connection: StoredConnection | undefined,
): DeliveryList {
  const redactor = credentialRedactor(connection);
  const newestLetters = [...letters].sort((a, b) => b.deadAt - a.deadAt);
  const newestEntries = [...entries].sort((a, b) => b.updatedAt - a.updatedAt);
  const dead = new Set(letters.map((letter) => letter.deliveryId));

  const deadLetters = newestLetters.slice(0, MAX_LISTED).map((letter) => {
    const logged = newestEntries.find((entry) => entry.deliveryId === letter.deliveryId);
    return toDeadLetterView(letter, logged, redactor);
  });
  // A dead letter's own log line would only repeat the row above it.
  const deliveries = newestEntries
    .filter((entry) => !(entry.state === 'dead-letter' && dead.has(entry.deliveryId)))
    .slice(0, MAX_LISTED)
    .map((entry) => toDeliveryView(entry, redactor));

  return { deadLetters, deadLetterTotal: letters.length, deliveries };
}

function toDeliveryView(entry: DeliveryLogEntry, redactor: Redactor): DeliveryView {
  return {
    deliveryId: entry.deliveryId,
    time: new Date(entry.updatedAt).toISOString(),
    issueKey: entry.issueKey,
    eventType: entry.eventType,
    webhookEvent: entry.webhookEvent,
    state: entry.state,
    status: entry.status,
    attempts: entry.attempts,
    latencyMs: entry.latencyMs,
    error: entry.error === null ? null : redactor.redactText(entry.error),
  };
}

function toDeadLetterView(
  letter: DeadLetter,
  logged: DeliveryLogEntry | undefined,
  redactor: Redactor,
): DeadLetterView {
  const eventType = letter.event.eventType;
  return {
    deliveryId: letter.deliveryId,
    time: new Date(letter.deadAt).toISOString(),
    issueKey: letter.issueKey,
    eventType: typeof eventType === 'string' ? eventType : (logged?.eventType ?? ''),
    webhookEvent: logged?.webhookEvent ?? null,
    state: 'dead-letter',
    status: letter.status,
    attempts: letter.attempts,
    latencyMs: logged?.latencyMs ?? null,
    error: redactor.redactText(letter.detail),
    reason: letter.reason,
    explanation: explainDeadLetter(letter.reason),
    resentTogether: RESENT_TOGETHER.includes(letter.reason),
  };
}

/** The saved webhook URL, its query values (the company id) and the signing secret. */
function credentialRedactor(connection: StoredConnection | undefined): Redactor {
  const redactor = new Redactor();
  if (!connection) return redactor;

  redactor.addSecret(connection.webhookUrl);
  redactor.addSecret(connection.signingSecret);
  redactor.addSecret(connection.signingSecret?.slice('whsec_'.length));
  if (URL.canParse(connection.webhookUrl)) {
    for (const value of new URL(connection.webhookUrl).searchParams.values()) {
      redactor.addSecret(value);
    }
  }
  return redactor;
}
