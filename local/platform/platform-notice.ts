import type { InvocationRecord } from './invocations';
import type { DropReason, OnError } from './trigger-filter';

/**
 * What the local runtime reports as it runs the app: results of the invocations it made, the
 * retries it scheduled, what it gave up on, events its trigger filter kept from the app (or
 * could not judge), and dead letters the app wrote. `at` is emulated epoch milliseconds. The
 * replay turns these into its output lines.
 */

export type PlatformNotice =
  | {
      /** The manifest's trigger filter dropped the event: the trigger was not invoked. */
      readonly kind: 'trigger-filtered';
      readonly at: number;
      readonly event: unknown;
      /** The project the filter saw the event come from, when the platform could tell. */
      readonly projectId: string | null;
      readonly reason: DropReason;
      readonly detail: string;
      /** Whether Forge would publish an app log line for it (`onError: …_AND_LOG`). */
      readonly logged: boolean;
    }
  | {
      /** The filter expression failed; `onError` delivered the event anyway. */
      readonly kind: 'trigger-filter-failed';
      readonly at: number;
      readonly event: unknown;
      readonly projectId: string | null;
      readonly error: string;
      readonly onError: OnError;
      readonly logged: boolean;
    }
  | {
      readonly kind: 'trigger-result';
      readonly at: number;
      readonly event: unknown;
      readonly result: unknown;
    }
  | { readonly kind: 'trigger-threw'; readonly at: number; readonly event: unknown; error: unknown }
  | {
      readonly kind: 'trigger-retry';
      readonly at: number;
      readonly event: unknown;
      readonly retryCount: number;
      readonly retryAfter: number;
    }
  | {
      readonly kind: 'trigger-gave-up';
      readonly at: number;
      readonly event: unknown;
      readonly retries: number;
    }
  | {
      readonly kind: 'queue-result';
      readonly at: number;
      readonly queueName: string;
      readonly body: unknown;
      readonly retryCount: number;
      readonly result: unknown;
    }
  | {
      readonly kind: 'queue-threw';
      readonly at: number;
      readonly queueName: string;
      readonly body: unknown;
      readonly retryCount: number;
      readonly error: unknown;
    }
  | {
      readonly kind: 'queue-retry';
      readonly at: number;
      readonly queueName: string;
      readonly body: unknown;
      readonly retryCount: number;
      readonly retryAfter: number;
    }
  | {
      readonly kind: 'queue-dropped';
      readonly at: number;
      readonly queueName: string;
      readonly body: unknown;
      readonly retryCount: number;
      readonly reason: string;
    }
  | {
      readonly kind: 'scheduled-result';
      readonly at: number;
      readonly moduleKey: string;
      readonly result: unknown;
    }
  | {
      readonly kind: 'scheduled-threw';
      readonly at: number;
      readonly moduleKey: string;
      readonly error: unknown;
    }
  | { readonly kind: 'overrun'; readonly at: number; readonly record: InvocationRecord }
  | {
      readonly kind: 'dead-letter';
      readonly at: number;
      readonly key: string;
      readonly value: unknown;
    };

export type NoticeListener = (notice: PlatformNotice) => void;
