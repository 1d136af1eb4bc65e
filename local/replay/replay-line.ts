/**
 * One line of replay output (`--json` prints each as it happens). `at` is the emulated time,
 * ISO 8601, at which the platform saw it.
 */

export type ReplayLine =
  | {
      type: 'delivery';
      at: string;
      /** Null when the receiver did not answer; `failure` then says what happened. */
      status: number | null;
      failure?: string;
      headers: Record<string, string>;
      body: unknown;
      raw: string;
      verified: boolean;
    }
  | {
      /** The manifest's trigger filter kept the event from the app: no invocation. */
      type: 'filtered';
      at: string;
      eventType: string | null;
      issueId: string | null;
      /** The project the filter saw the event come from; null when the platform could not tell. */
      projectId: string | null;
      reason: 'self-generated' | 'expression-false' | 'expression-error';
      /** Starts "filtered by the platform: ". */
      detail: string;
    }
  | {
      /** The filter expression could not be evaluated; `onError` delivered the event anyway. */
      type: 'filter-error';
      at: string;
      eventType: string | null;
      issueId: string | null;
      projectId: string | null;
      detail: string;
    }
  | {
      type: 'skip';
      at: string;
      eventType: string | null;
      issueId: string | null;
      reason: string;
      detail: string;
      /** Set when the queue consumer skipped it. */
      queue?: string;
    }
  | {
      type: 'retry';
      at: string;
      eventType: string | null;
      issueId: string | null;
      retryCount: number;
      retryAfter: number;
      /** Set for a queue event's retry; absent for a trigger's. */
      queue?: string;
    }
  | {
      type: 'error';
      at: string;
      eventType: string | null;
      issueId: string | null;
      message: string;
      queue?: string;
      /** Set when the error is about an invocation itself, e.g. one that ran over its limit. */
      functionKey?: string;
    }
  | {
      /** The app put the change on its queue: waiting its turn, or for its next attempt. */
      type: 'queued';
      at: string;
      eventType: string | null;
      issueId: string | null;
      deliveryId: string | null;
      sequence: number | null;
      attempts: number;
      retryAt: string;
      detail: string;
      queue?: string;
    }
  | {
      type: 'queue';
      at: string;
      queue: string;
      issueId: string | null;
      retryCount: number;
      outcome: string;
    }
  | { type: 'scheduled'; key: string; at: string; outcome: unknown }
  | {
      type: 'deadletter';
      at: string;
      key: string;
      deliveryId?: unknown;
      issueId?: unknown;
      issueKey?: unknown;
      reason?: unknown;
      detail?: unknown;
      status?: unknown;
      attempts?: unknown;
    }
  | { type: 'resolve'; call: string; ok: boolean; data: unknown; error: unknown };
