import { randomUUID } from 'node:crypto';

import { createJiraRestReader } from '../adapters/jira-rest-reader';
import { createKvsIssueRecords } from '../adapters/kvs-issue-records';
import { createKvsSettingsStore } from '../adapters/kvs-settings-store';
import { createTasksourceHttpSender } from '../adapters/tasksource-http-sender';
import { createLogger, parseLogLevel } from '../core/logger';
import type { Invocation } from '../forwarding/forward-jira-event';
import { forwardJiraEvent } from '../forwarding/forward-jira-event';
import type { Installation } from '../forwarding/ports';
import { toPlatformOutcome } from './platform-outcome';

/** The trigger: Forge calls this for every subscribed Jira event. */
export async function onJiraEvent(event: unknown, context: unknown) {
  const log = createLogger({ level: parseLogLevel(process.env.LOG_LEVEL) });
  const installation = readInstallation(context);
  const invocation = readInvocation(event);

  try {
    return await forwardJiraEvent(event, invocation, {
      settings: createKvsSettingsStore(),
      records: createKvsIssueRecords(log),
      jira: createJiraRestReader(),
      tasksource: createTasksourceHttpSender(),
      installation,
      now: Date.now,
      log,
    });
  } catch (error) {
    return toPlatformOutcome(error, { log, ...invocation, random: Math.random });
  }
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

function readInvocation(event: unknown): Invocation {
  const retryContext = (
    event as { retryContext?: { retryCount?: unknown; retryData?: unknown } } | null
  )?.retryContext;
  const retry = typeof retryContext?.retryCount === 'number' ? retryContext.retryCount : 0;
  const token = (retryContext?.retryData as { claimToken?: unknown } | undefined)?.claimToken;

  return {
    retry,
    claimToken: typeof token === 'string' ? token : randomUUID(),
    mayTakeOverClaim: retry > 0 && typeof token !== 'string',
  };
}
