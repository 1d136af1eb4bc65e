import type { ChecklistFacts } from './setup-checklist';
import { buildChecklist } from './setup-checklist';

const done: ChecklistFacts = {
  connected: true,
  assignable: true,
  labels: ['acme-web'],
  enabled: true,
  outsourcedCount: 3,
  flag: 'set',
};

describe('buildChecklist', () => {
  it('is all green, one sentence a line, when everything is set up', () => {
    expect(buildChecklist(done)).toEqual([
      { key: 'connected', ok: true, message: 'tasksource is connected.' },
      {
        key: 'assignable',
        ok: true,
        message: 'The integration account can be assigned issues in this project.',
      },
      { key: 'label', ok: true, message: 'Issues labelled acme-web are outsourced.' },
      { key: 'outsourced', ok: true, message: '3 issues are outsourced right now.' },
      { key: 'events', ok: true, message: 'Jira sends this project’s changes to the app.' },
    ]);
  });

  it.each([
    ['not connected', { connected: false, assignable: undefined }, 'connected', 'webhook URL'],
    [
      'the account cannot be assigned',
      { assignable: false },
      'assignable',
      'Project settings → People',
    ],
    ['Jira did not answer', { assignable: undefined }, 'assignable', 'reload'],
    ['no label', { labels: [] }, 'label', 'Pick the label'],
    ['forwarding switched off', { enabled: false }, 'label', 'switched off'],
    ['the count failed', { outsourcedCount: undefined }, 'outsourced', 'could not be counted'],
    ['the project was never saved', { flag: 'not-saved' }, 'events', 'Save these settings'],
    ['the project flag is missing', { flag: 'missing' }, 'events', 'flag is missing. Save again'],
    ['Jira did not say about the flag', { flag: 'unknown' }, 'events', 'reload to check again'],
    ['Jira was busy when the save set it', { flag: 'write-unavailable' }, 'events', 'Saved, but'],
    ['Jira refused the flag', { flag: 'write-refused' }, 'events', 'check the app’s access'],
  ] as const)('is red with how to fix it when %s', (_, change, key, words) => {
    const line = buildChecklist({ ...done, ...change }).find((candidate) => candidate.key === key);

    expect(line).toMatchObject({ ok: false, message: expect.stringContaining(words) });
  });

  it('says 1 issue, not 1 issues', () => {
    expect(buildChecklist({ ...done, outsourcedCount: 1 })[3]?.message).toBe(
      '1 issue is outsourced right now.',
    );
  });
});
