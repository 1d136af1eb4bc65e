/**
 * The project page's setup checklist: what the admin used to check by eye, each line green or
 * red with one sentence on what is true or how to fix it.
 */

export interface ChecklistLine {
  readonly key: 'connected' | 'assignable' | 'label' | 'outsourced';
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
}

export function buildChecklist(facts: ChecklistFacts): ChecklistLine[] {
  return [connectedLine(facts), assignableLine(facts), labelLine(facts), outsourcedLine(facts)];
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
