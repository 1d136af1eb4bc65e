import type { DeadLetter } from '../../src/core/dead-letter';
import type { DeliveryLogEntry } from '../../src/core/delivery-log';

/**
 * Builders for what the forwarding code leaves behind for the delivery log: log entries and
 * dead letters on their stored shapes, with the fields a test cares about overridden.
 */

/** A delivery id as the app makes them, `ts_` and 32 hex digits, distinct per `n`. */
export function deliveryId(n: number): string {
  return `ts_${n.toString(16).padStart(32, '0')}`;
}

/** 2026-12-01T10:00:00Z, and `minutes` later. */
export function at(minutes: number): number {
  return Date.UTC(2026, 11, 1, 10, minutes);
}

export function makeLogEntry(overrides: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  return {
    version: 1,
    deliveryId: deliveryId(1),
    issueId: '10021',
    issueKey: 'KAN-22',
    projectId: '10000',
    sequence: 1,
    eventType: 'avi:jira:updated:issue',
    webhookEvent: 'jira:issue_updated',
    state: 'delivered',
    status: 200,
    attempts: 1,
    latencyMs: 143,
    error: null,
    firstAttemptAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function makeDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  const id = overrides.deliveryId ?? deliveryId(100);
  return {
    version: 1,
    deliveryId: id,
    baseDeliveryId: id,
    issueId: '10021',
    issueKey: 'KAN-22',
    projectId: '10000',
    sequence: 2,
    event: {
      eventType: 'avi:jira:commented:issue',
      timestamp: '1796119260000',
      issue: { id: '10021', key: 'KAN-22' },
    },
    reason: 'endpoint-disabled',
    detail: 'tasksource answered 410: it disabled this endpoint',
    status: 410,
    attempts: 1,
    firstAttemptAt: at(0),
    deadAt: at(1),
    ...overrides,
  };
}
