import { kick, removeRow, writeLog } from './settle';
import type { ForwardingDeps } from './ports';

/**
 * An admin's Resend: the dead letter goes back through the same path under the same delivery
 * id. A numbered change is numbered again at the end of its issue's queue (tasksource sees a
 * newer `sequence` for it, and the same id); its retries start afresh. An event that never got
 * a number is decided again.
 */

export type ResendResult =
  | { readonly resent: true; readonly deliveryId: string; readonly issueKey: string }
  | { readonly resent: false; readonly reason: 'not-found' };

export async function resendDeadLetter(
  deliveryId: string,
  deps: ForwardingDeps,
): Promise<ResendResult> {
  const letter = await deps.deadLetters.get(deliveryId);
  if (!letter) return { resent: false, reason: 'not-found' };

  const now = deps.now();
  const { projectId, firstAttemptAt } = letter;
  if (letter.sequence === null) {
    await deps.queue.push([
      { type: 'event', event: letter.event, attempts: 0, firstAttemptAt: now },
    ]);
    await deps.deadLetters.remove(deliveryId);
    // Decided again, it gets a row of its own: the dead-letter row would show it twice.
    await removeRow({ projectId, firstAttemptAt, deliveryId }, deps.log, deps);
    return { resent: true, deliveryId, issueKey: letter.issueKey };
  }

  const stored = await deps.records.get(letter.issueId);
  const allocation = await deps.pending.allocate(
    stored?.sequence ?? 0,
    {
      version: 1,
      issueId: letter.issueId,
      deliveryId: letter.deliveryId,
      baseDeliveryId: letter.baseDeliveryId,
      event: letter.event,
      attempts: 0,
      // Tries before the dead letter count as attempts tasksource may have seen.
      sent: letter.attempts,
      provisional: false,
      firstAttemptAt: now,
      nextAttemptAt: now,
      leaseUntil: 0,
      issueKey: letter.issueKey,
      projectId: letter.projectId,
      lastStatus: null,
      lastError: null,
      fromDeadLetter: true,
      logRows: [deliveryId],
    },
    { sendNow: false },
  );
  // Queued first, then out of the dead letters: if the push fails, the letter stays for the
  // admin to try again, and the delivery removes it if something else wakes the issue first.
  await kick(deps, letter.issueId, 0);
  await deps.deadLetters.remove(deliveryId);
  // The change's row is the new one: its dead-letter row would show it undelivered twice.
  if (firstAttemptAt !== allocation.entry.firstAttemptAt) {
    await removeRow({ projectId, firstAttemptAt, deliveryId }, deps.log, deps);
  }

  const eventType = typeof letter.event.eventType === 'string' ? letter.event.eventType : '';
  await writeLog(
    { deliveryId, eventType, webhookEvent: null, log: deps.log },
    allocation.entry,
    'retrying',
    { status: null, error: 'resent by an admin' },
    deps,
  );
  deps.log.info('Dead letter resent', { deliveryId, issueKey: letter.issueKey });
  return { resent: true, deliveryId, issueKey: letter.issueKey };
}
