import type { InvocationRecord } from './invocations';

/**
 * What the local runtime reports as it runs the app: results of the invocations it made, the
 * retries it scheduled, what it gave up on, and dead letters the app wrote. `at` is emulated
 * epoch milliseconds. The replay turns these into its output lines.
 */

export type PlatformNotice =
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
