import { randomBytes } from 'node:crypto';

import { allowedOrigins, appIdentity } from '../adapters/app-runtime';
import { createDeliveryQueue } from '../adapters/delivery-queue';
import { createJiraDirectory } from '../adapters/jira-directory';
import { createJiraProjectFlags } from '../adapters/jira-project-flags';
import { createJiraUserPermissions } from '../adapters/jira-user-permissions';
import { createKvsDeadLetters } from '../adapters/kvs-dead-letters';
import { createKvsDeliveryLog } from '../adapters/kvs-delivery-log';
import { createKvsSettingsStore } from '../adapters/kvs-settings-store';
import { createTasksourceHttpSender } from '../adapters/tasksource-http-sender';
import type { Logger } from '../core/logger';
import { createLogger, parseLogLevel } from '../core/logger';
import { resendDeadLetter } from '../forwarding/resend-dead-letter';
import type { DeliveryRecords, PageDeps } from '../settings/ports';
import { forwardingDeps } from './forwarding-deps';

/**
 * The resolver context the platform sets (FORGE.md §10): who is calling, on which site, and for
 * the project page, in which project. The page's own view of its context is never used.
 */
export interface ResolverContext {
  readonly accountId?: unknown;
  readonly cloudId?: unknown;
  readonly siteUrl?: unknown;
  readonly extension?: { readonly project?: { readonly id?: unknown; readonly key?: unknown } };
}

export function pageDeps(context: ResolverContext, module: string): PageDeps {
  const log: Logger = createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) }).child({
    module,
  });

  return {
    store: createKvsSettingsStore(),
    flags: createJiraProjectFlags(),
    permissions: createJiraUserPermissions(),
    directory: createJiraDirectory(),
    tasksource: createTasksourceHttpSender(),
    queue: createDeliveryQueue(),
    deliveries: deliveryRecords(log, context),
    allowedOrigins: allowedOrigins(),
    site: { cloudId: text(context.cloudId), siteUrl: text(context.siteUrl).replace(/\/$/, '') },
    app: appIdentity(),
    now: Date.now,
    randomBytes: (size) => randomBytes(size),
    log,
  };
}

/** Resend runs the forwarding code with its own adapters, as the queue consumer would. */
function deliveryRecords(log: Logger, context: ResolverContext): DeliveryRecords {
  const deliveryLog = createKvsDeliveryLog();
  const deadLetters = createKvsDeadLetters(log);

  return {
    listLog: (projectId, limit) => deliveryLog.list(projectId, limit),
    listDeadLetters: () => deadLetters.list(),
    resend: (deliveryId) => resendDeadLetter(deliveryId, forwardingDeps(log, context)),
  };
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
