import { randomUUID } from 'node:crypto';

import { buildDeliveryRequest } from '../core/build-delivery-request';
import { ValidationError } from '../core/errors';
import { maskSecret, maskWebhookUrl } from '../core/mask';
import { buildPingPayload } from '../core/ping-payload';
import { generateSigningSecret } from '../core/signing-secret';
import { webhookUrlProblem } from '../core/webhook-url-policy';
import type { AdminSavePayload, AdminView, RotatedSecret, TestEventResult } from './page-contract';
import { NotConnectedError } from './page-errors';
import type { PageDeps } from './ports';
import { requirePermission } from './require-permission';
import { saveConnectionSettings } from './settings-service';

/**
 * The Jira admin page: connect tasksource once (webhook URL, integration account, signing
 * secret), send a test event, see the configured projects. Changes need Jira administration,
 * checked as the calling user; reading shows masked values to anyone who can open the page.
 */

/** How the integration account is found for the admin; Jira may hide e-mail addresses. */
const INTEGRATION_ACCOUNT_QUERIES = ['integrations@tasksource.io', 'tasksource'];

export async function getAdminPage(deps: PageDeps): Promise<AdminView> {
  const [settings, canEdit] = await Promise.all([
    deps.store.load(),
    deps.permissions.has('ADMINISTER'),
  ]);
  const connection = settings.connection;

  const [account, candidates, projects] = await Promise.all([
    connection ? deps.directory.getUser(connection.integrationAccountId) : undefined,
    findIntegrationAccountCandidates(deps),
    deps.directory.getProjects(Object.keys(settings.projects)),
  ]);

  return {
    canEdit,
    connected: connection !== undefined,
    webhookUrlMasked: connection ? maskWebhookUrl(connection.webhookUrl) : null,
    integrationAccount: connection
      ? {
          accountId: connection.integrationAccountId,
          displayName: account?.displayName ?? 'Unknown account',
        }
      : null,
    integrationAccountCandidates: candidates,
    signingSecretMasked: connection?.signingSecret ? maskSecret(connection.signingSecret) : null,
    projects: Object.entries(settings.projects).map(([id, project]) => {
      const found = projects.find((candidate) => candidate.id === id);
      return {
        id,
        key: found?.key ?? null,
        name: found?.name ?? null,
        labels: project.labels,
        enabled: project.enabled,
        settingsUrl: found ? projectSettingsUrl(deps, found.key) : null,
      };
    }),
    endpointDisabledAt:
      connection?.disabledAt === undefined ? null : new Date(connection.disabledAt).toISOString(),
  };
}

export async function saveAdminSettings(
  deps: PageDeps,
  payload: AdminSavePayload,
): Promise<AdminView> {
  await requirePermission(
    deps,
    'ADMINISTER',
    'Saving the tasksource connection needs Jira administration',
  );

  const current = (await deps.store.load()).connection;
  const webhookUrl = payload.webhookUrl?.trim() || current?.webhookUrl;
  const problems: Record<string, string> = {};
  if (!webhookUrl)
    problems.webhookUrl = 'expected the webhook URL from tasksource (company, Integrations tab)';
  else {
    const problem = webhookUrlProblem(webhookUrl, deps.allowedOrigins);
    if (problem) problems.webhookUrl = problem;
  }
  const accountId = payload.integrationAccountId?.trim() || current?.integrationAccountId;
  if (!accountId)
    problems.integrationAccountId = 'expected the integration account; pick it from the list';
  else if (!(await deps.directory.getUser(accountId))) {
    problems.integrationAccountId =
      'expected an account that exists on this site; pick it from the list';
  }
  throwIfAny(problems);

  const signingSecret =
    payload.signingSecret === null
      ? undefined
      : payload.signingSecret?.trim() || current?.signingSecret;
  await saveConnectionSettings(deps.store, {
    webhookUrl,
    integrationAccountId: accountId,
    ...(signingSecret ? { signingSecret } : {}),
    siteUrl: deps.site.siteUrl,
  });
  deps.log.info('Saved the tasksource connection');
  return getAdminPage(deps);
}

export async function rotateSigningSecret(deps: PageDeps): Promise<RotatedSecret> {
  await requirePermission(
    deps,
    'ADMINISTER',
    'Changing the signing secret needs Jira administration',
  );

  const connection = (await deps.store.load()).connection;
  if (!connection)
    throw new NotConnectedError('Save the webhook URL and integration account first');

  const signingSecret = generateSigningSecret(deps.randomBytes);
  const { connectionId: _connectionId, disabledAt: _disabledAt, ...current } = connection;
  await saveConnectionSettings(deps.store, { ...current, signingSecret }, { keepDisabled: true });
  deps.log.info('Rotated the signing secret');
  return { signingSecret, signingSecretMasked: maskSecret(signingSecret) };
}

export async function sendTestEvent(deps: PageDeps): Promise<TestEventResult> {
  await requirePermission(deps, 'ADMINISTER', 'Sending a test event needs Jira administration');

  const connection = (await deps.store.load()).connection;
  if (!connection)
    throw new NotConnectedError('Save the webhook URL first, then send a test event');

  const deliveryId = `ts_${randomUUID().replace(/-/g, '')}`;
  const body = JSON.stringify(buildPingPayload({ ...deps.site, deliveryId, now: deps.now() }));
  const request = buildDeliveryRequest({
    body,
    deliveryId,
    retry: 0,
    nowMillis: deps.now(),
    signingSecret: connection.signingSecret,
  });
  const started = deps.now();
  try {
    const response = await deps.tasksource.send(connection.webhookUrl, request);
    return describeAnswer(response.status, deps.now() - started);
  } catch {
    const millis = deps.now() - started;
    return {
      delivered: false,
      status: null,
      millis,
      message: `Could not reach tasksource (no answer after ${millis} ms). Check the URL, or try again later.`,
    };
  }
}

function describeAnswer(status: number, millis: number): TestEventResult {
  const delivered = status >= 200 && status <= 299;
  const advice = delivered
    ? ''
    : status === 401 || status === 403
      ? ' tasksource refused the signature or the company; check the signing secret in tasksource.'
      : status === 404 || status === 410
        ? ' tasksource does not know this URL; copy it again from the Integrations tab.'
        : ' Try again in a few minutes.';
  return {
    delivered,
    status,
    millis,
    message: `tasksource answered ${status} in ${millis} ms.${advice}`,
  };
}

async function findIntegrationAccountCandidates(deps: PageDeps) {
  const found = await Promise.all(
    INTEGRATION_ACCOUNT_QUERIES.map((query) => deps.directory.searchUsers(query)),
  );
  const unique = new Map(found.flat().map((user) => [user.accountId, user]));
  return [...unique.values()].map(({ accountId, displayName }) => ({ accountId, displayName }));
}

function projectSettingsUrl(deps: PageDeps, projectKey: string): string {
  const { appId, environmentId } = deps.app;
  return `${deps.site.siteUrl}/jira/software/projects/${encodeURIComponent(projectKey)}/settings/apps/${appId}/${environmentId}`;
}

function throwIfAny(problems: Record<string, string>): void {
  const issues = Object.entries(problems).map(([path, message]) => ({ path, message }));
  if (issues.length > 0) throw new ValidationError('[admin] Invalid settings', issues);
}
