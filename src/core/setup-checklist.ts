/**
 * The project page's setup checklist: what the admin used to check by eye, each line green or
 * red with one sentence on what is true or how to fix it.
 */

export interface ChecklistLine {
  readonly key: 'connected' | 'assignable' | 'label' | 'outsourced' | 'events';
  readonly ok: boolean;
  /** One sentence: what is true, or how to fix it. */
  readonly message: string;
}

export interface ChecklistFacts {
  readonly connected: boolean;
  /** Undefined when it could not be checked (not connected yet, or Jira did not answer). */
  readonly assignable: boolean | undefined;
  readonly labels: readonly string[];
  readonly enabled: boolean;
  /** Undefined when it could not be counted. */
  readonly outsourcedCount: number | undefined;
  readonly flag: FlagCheck;
}

/**
 * The project flag that lets Jira send the project's events to the app (`project-flag.ts`):
 * `set` or `missing` as Jira answered, `not-saved` before the first save, `unknown` when Jira
 * did not answer, `write-…` when the save just now could not set it.
 */
export type FlagCheck =
  'set' | 'missing' | 'not-saved' | 'unknown' | 'write-unavailable' | 'write-refused';

export function buildChecklist(facts: ChecklistFacts): ChecklistLine[] {
  return [
    connectedLine(facts),
    assignableLine(facts),
    labelLine(facts),
    outsourcedLine(facts),
    eventsLine(facts),
  ];
}

function connectedLine({ connected }: ChecklistFacts): ChecklistLine {
  return connected
    ? { key: 'connected', ok: true, message: 'tasksource is connected.' }
    : {
        key: 'connected',
        ok: false,
        message:
          'Connect tasksource first: a Jira admin pastes the webhook URL on the tasksource page in Jira settings → Apps.',
      };
}

function assignableLine({ connected, assignable }: ChecklistFacts): ChecklistLine {
  if (assignable === true) {
    return {
      key: 'assignable',
      ok: true,
      message: 'The integration account can be assigned issues in this project.',
    };
  }
  if (!connected) {
    return {
      key: 'assignable',
      ok: false,
      message: 'Once tasksource is connected, this checks the integration account.',
    };
  }
  if (assignable === undefined) {
    return {
      key: 'assignable',
      ok: false,
      message:
        'Jira did not answer whether the integration account can be assigned; reload to try again.',
    };
  }
  return {
    key: 'assignable',
    ok: false,
    message:
      'Add the integration account to this project (Project settings → People, with a role that can be assigned issues).',
  };
}

function labelLine({ labels, enabled }: ChecklistFacts): ChecklistLine {
  if (labels.length === 0) {
    return {
      key: 'label',
      ok: false,
      message: 'Pick the label that links this project to your tasksource project.',
    };
  }
  if (!enabled) {
    return {
      key: 'label',
      ok: false,
      message: 'Forwarding is switched off for this project; switch it on to outsource issues.',
    };
  }
  return {
    key: 'label',
    ok: true,
    message: `Issues labelled ${labels.join(' or ')} are outsourced.`,
  };
}

function outsourcedLine({ outsourcedCount }: ChecklistFacts): ChecklistLine {
  if (outsourcedCount === undefined) {
    return {
      key: 'outsourced',
      ok: false,
      message: 'The number of outsourced issues could not be counted yet.',
    };
  }
  const issues = outsourcedCount === 1 ? '1 issue is' : `${outsourcedCount} issues are`;
  return { key: 'outsourced', ok: true, message: `${issues} outsourced right now.` };
}

const EVENTS_MESSAGES: Record<FlagCheck, string> = {
  set: 'Jira sends this project’s changes to the app.',
  'not-saved': 'Save these settings so that Jira sends this project’s changes to the app.',
  missing:
    'Jira is not sending this project’s changes to the app: the project’s tasksource flag is missing. Save again to set it; the app also checks every hour.',
  unknown:
    'Jira did not say whether it sends this project’s changes to the app; reload to check again.',
  'write-unavailable':
    'Saved, but Jira did not answer when the app marked this project, so Jira may be keeping its changes from the app. Save again; the app also retries every hour.',
  'write-refused':
    'Saved, but Jira refused to mark this project for the app, so Jira may be keeping its changes from the app. A Jira admin can check the app’s access; the app retries every hour.',
};

function eventsLine({ flag }: ChecklistFacts): ChecklistLine {
  return { key: 'events', ok: flag === 'set', message: EVENTS_MESSAGES[flag] };
}
