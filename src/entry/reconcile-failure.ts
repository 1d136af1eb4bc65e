import { UnreadableSettingsError } from '../adapters/kvs-settings-store';
import { PermanentError, RetriableError, ValidationError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { FailedOutcome } from './platform-outcome';

/**
 * A scheduled trigger that throws is not retried (FORGE.md §6), so a failed run is caught,
 * logged by kind and answered as `failed`. Nothing is lost: the saved state lets the next
 * hourly run carry on where this one stopped.
 */
export function reconcileFailure(error: unknown, log: Logger): FailedOutcome {
  if (error instanceof RetriableError) {
    log.warn('Reconciliation stopped; the next run carries on', { error: error.message });
    return { outcome: 'failed', reason: error.message };
  }
  if (
    error instanceof PermanentError ||
    error instanceof ValidationError ||
    error instanceof UnreadableSettingsError
  ) {
    log.error('Reconciliation failed', { error: error.message });
    return { outcome: 'failed', reason: error.message };
  }

  log.error('Unexpected error in reconciliation', { error });
  return { outcome: 'failed', reason: 'unexpected error; see the app logs' };
}
