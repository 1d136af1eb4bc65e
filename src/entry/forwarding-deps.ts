import { timeLeftMs } from '../adapters/app-runtime';
import { createDeliveryQueue } from '../adapters/delivery-queue';
import { createJiraRestReader } from '../adapters/jira-rest-reader';
import { createKvsDeadLetters } from '../adapters/kvs-dead-letters';
import { createKvsDeliveryLog } from '../adapters/kvs-delivery-log';
import { createKvsIssueRecords } from '../adapters/kvs-issue-records';
import { createKvsPendingDeliveries } from '../adapters/kvs-pending-deliveries';
import { createKvsSettingsStore } from '../adapters/kvs-settings-store';
import { createTasksourceHttpSender } from '../adapters/tasksource-http-sender';
import type { Logger } from '../core/logger';
import type { ForwardingDeps, Installation } from '../forwarding/ports';

/** The Forge adapters behind every port the forwarding code uses, for one invocation. */
export function forwardingDeps(log: Logger, context: unknown): ForwardingDeps {
  return {
    settings: createKvsSettingsStore(),
    records: createKvsIssueRecords(log),
    pending: createKvsPendingDeliveries(),
    deadLetters: createKvsDeadLetters(log),
    deliveryLog: createKvsDeliveryLog(),
    queue: createDeliveryQueue(),
    jira: createJiraRestReader(),
    tasksource: createTasksourceHttpSender(),
    installation: readInstallation(context),
    now: Date.now,
    random: Math.random,
    timeLeftMs,
    log,
  };
}

/**
 * `installation.ari.installationId` keys delivery ids; the cloud id comes from
 * `installContext` (`ari:cloud:jira::site/<cloudId>`). The platform always sets both.
 */
function readInstallation(context: unknown): Installation {
  const ctx = (context ?? {}) as {
    installContext?: unknown;
    installation?: { ari?: { installationId?: unknown } };
  };
  const installContext = typeof ctx.installContext === 'string' ? ctx.installContext : '';
  const installationId = ctx.installation?.ari?.installationId;

  return {
    installationId: typeof installationId === 'string' ? installationId : installContext,
    cloudId: installContext.split('/').pop() ?? '',
  };
}
