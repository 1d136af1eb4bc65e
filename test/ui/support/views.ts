import type {
  AdminView,
  ChecklistLine,
  DeadLetterView,
  DeliveryList,
  DeliveryView,
  ProjectView,
  ResolverAnswer,
  ResolverError,
} from '../../../src/settings/page-contract';

/**
 * What fake resolvers answer: views on the contract's shapes with test-chosen overrides, and the
 * events the host passes to input handlers.
 */

export const INTEGRATION = { accountId: '712020:integration', displayName: 'tasksource Bot' };
export const OTHER_BOT = { accountId: '712020:other-bot', displayName: 'tasksource Staging' };

export function adminView(overrides: Partial<AdminView> = {}): AdminView {
  return {
    canEdit: true,
    connected: true,
    webhookUrlMasked: 'https://api.tasksource.io/jira?companyId=••••2f1c',
    integrationAccount: INTEGRATION,
    integrationAccountCandidates: [INTEGRATION, OTHER_BOT],
    signingSecretMasked: 'whsec_••••Jk2=',
    projects: [
      {
        id: '10000',
        key: 'WEB',
        name: 'Website',
        labels: ['outsourced', 'ts-frontend'],
        enabled: true,
        settingsUrl: 'https://example.atlassian.net/jira/settings/projects/WEB/apps/tasksource',
      },
      { id: '10001', key: 'OPS', name: null, labels: [], enabled: false, settingsUrl: null },
    ],
    endpointDisabledAt: null,
    ...overrides,
  };
}

export function checklist(okByKey: Partial<Record<ChecklistLine['key'], boolean>> = {}) {
  const line = (key: ChecklistLine['key'], yes: string, no: string): ChecklistLine => {
    const ok = okByKey[key] ?? true;
    return { key, ok, message: ok ? yes : no };
  };
  return [
    line('connected', 'tasksource is connected.', 'Ask a Jira admin to connect tasksource.'),
    line(
      'assignable',
      'tasksource Bot can be assigned issues here.',
      'Let tasksource Bot be assigned.',
    ),
    line('label', 'Issues with outsourced are forwarded.', 'Choose at least one label.'),
    line('outsourced', '3 issues are outsourced.', 'No issue is outsourced yet.'),
    line('events', 'Jira sends these changes to the app.', 'Saved, but Jira refused the flag.'),
  ];
}

export function projectView(overrides: Partial<ProjectView> = {}): ProjectView {
  return {
    projectId: '10000',
    projectKey: 'WEB',
    canEdit: true,
    labels: ['outsourced'],
    enabled: true,
    checklist: checklist(),
    ...overrides,
  };
}

export function deliveryRow(overrides: Partial<DeliveryView> = {}): DeliveryView {
  return {
    deliveryId: 'ts_00000000000000000000000000000001',
    time: '2026-12-01T10:05:00.000Z',
    issueKey: 'WEB-7',
    eventType: 'avi:jira:updated:issue',
    webhookEvent: 'jira:issue_updated',
    state: 'delivered',
    status: 200,
    attempts: 1,
    latencyMs: 143,
    error: null,
    ...overrides,
  };
}

export function deadLetterRow(overrides: Partial<DeadLetterView> = {}): DeadLetterView {
  return {
    ...deliveryRow({
      deliveryId: 'ts_000000000000000000000000000000d1',
      time: '2026-12-01T10:02:00.000Z',
      issueKey: 'WEB-9',
      eventType: 'avi:jira:commented:issue',
      webhookEvent: 'comment_created',
      status: 410,
      latencyMs: 88,
      error: 'tasksource answered 410: it disabled this endpoint',
    }),
    state: 'dead-letter',
    reason: 'endpoint-disabled',
    explanation: 'tasksource had disabled the endpoint.',
    resentTogether: true,
    ...overrides,
  };
}

export function deliveryList(overrides: Partial<DeliveryList> = {}): DeliveryList {
  const deadLetters = overrides.deadLetters ?? [];
  return {
    deadLetters,
    deadLetterTotal: deadLetters.length,
    deliveries: [],
    ...overrides,
  };
}

export function ok<T>(data: T): ResolverAnswer<T> {
  return { ok: true, data };
}

export function refused(error: ResolverError): ResolverAnswer<never> {
  return { ok: false, error };
}

/** A change event as the host sends it for a text input. */
export function typed(value: string, type = 'text') {
  return { type: 'change', target: { type, value } };
}

/** A change event as the host sends it for a toggle. */
export function switched(checked: boolean) {
  return { type: 'change', target: { type: 'checkbox', checked } };
}
