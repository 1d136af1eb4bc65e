import type { DeadLetterReason } from '../core/dead-letter';
import { RETRY_FOR_HOURS } from '../core/retry-policy';

/**
 * What each dead-letter reason means for the admin reading the delivery log, and what to do
 * before pressing Resend. One sentence or two each, no detail from the failure itself (that is
 * shown beside it).
 */

const EXPLANATIONS: Record<DeadLetterReason, string> = {
  rejected:
    'tasksource refused this change. Check the error with tasksource and fix its cause first; ' +
    'Resend sends the same change again.',
  'endpoint-disabled':
    'tasksource had disabled the endpoint (it answered 410), so this change was not sent. ' +
    'Once tasksource has enabled it again and the connection is saved, resend it.',
  expired:
    `tasksource could not be reached for ${RETRY_FOR_HOURS} hours of retries. ` +
    'Resend it once tasksource answers again.',
  unbuildable:
    'The app could not build a delivery for this change. Resend decides it again; ' +
    'if it fails the same way, contact tasksource support.',
  'jira-unreadable':
    `Jira did not answer the app for ${RETRY_FOR_HOURS} hours, so the change could not be ` +
    'read. Resend it once Jira answers again.',
  'too-many-waiting':
    'The issue had hundreds of changes waiting for tasksource already, so this one was set ' +
    'aside. Resend it once the others are through.',
};

export function explainDeadLetter(reason: DeadLetterReason): string {
  return EXPLANATIONS[reason];
}
