import { RESENT_TOGETHER } from '../core/dead-letter';
import type { PageDeps } from './ports';
import type { ResentLetter, ResentLetters } from './page-contract';
import { NotConnectedError, NotFoundError } from './page-errors';
import { requirePermission } from './require-permission';

/**
 * An admin's Resend: a dead letter goes back on the delivery path under its own delivery id,
 * numbered again at the end of its issue's queue. "Resend all" does that for every change kept
 * for want of tasksource or Jira (`RESENT_TOGETHER`: the endpoint was disabled, or an outage
 * outlasted the retries), oldest first, a bounded batch per call.
 */

/** Dead letters one "Resend all" takes at most; the page calls again for the rest. */
export const MAX_RESEND_ALL = 100;
/** Time one "Resend all" spends at most, well inside the resolver's 25 s. */
const RESEND_ALL_BUDGET_MS = 15_000;

export async function resendOne(deps: PageDeps, deliveryId: string): Promise<ResentLetter> {
  await requirePermission(deps, 'ADMINISTER', 'Resending a delivery needs Jira administration');
  await requireSending(deps);

  const result = await deps.deliveries.resend(deliveryId);
  if (!result.resent) {
    throw new NotFoundError(
      `There is no dead letter ${deliveryId}: it was resent already or has expired. ` +
        'Reload the delivery log.',
    );
  }

  deps.log.info('Resent a dead letter', { deliveryId, issueKey: result.issueKey });
  return { resent: true, issueKey: result.issueKey };
}

export async function resendAllAfterOutage(deps: PageDeps): Promise<ResentLetters> {
  await requirePermission(deps, 'ADMINISTER', 'Resending deliveries needs Jira administration');
  await requireSending(deps);

  const letters = await deps.deliveries.listDeadLetters();
  // Oldest first, so an issue's changes are numbered again in the order they happened.
  const waiting = letters.filter((letter) => RESENT_TOGETHER.includes(letter.reason)).reverse();
  const started = deps.now();
  let tried = 0;
  let resent = 0;
  for (const letter of waiting.slice(0, MAX_RESEND_ALL)) {
    if (deps.now() - started > RESEND_ALL_BUDGET_MS) break;
    tried += 1;
    if ((await deps.deliveries.resend(letter.deliveryId)).resent) resent += 1;
  }

  deps.log.info('Resent the dead letters of an outage', { resent, tried });
  return { resent, remaining: waiting.length - tried };
}

/** Resending while nothing is sent would only make the same dead letter again. */
async function requireSending(deps: PageDeps): Promise<void> {
  const connection = (await deps.store.load()).connection;
  if (!connection) throw new NotConnectedError('Connect tasksource first, then resend');
  if (connection.disabledAt !== undefined) {
    throw new NotConnectedError(
      'tasksource has disabled the endpoint, so nothing is sent. ' +
        'Check with tasksource, save the connection again, then resend.',
    );
  }
}
