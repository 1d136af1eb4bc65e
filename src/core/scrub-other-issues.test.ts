import { scrubOtherIssues } from './scrub-other-issues';

describe('scrubOtherIssues', () => {
  it('drops links, sub-tasks and the parent, which name issues that are not outsourced', () => {
    const fields = {
      summary: 'Outsourced work',
      issuelinks: [
        { id: '1', outwardIssue: { id: '10099', key: 'HR-7', fields: { summary: 'Layoff plan' } } },
      ],
      subtasks: [{ id: '10098', key: 'HR-8', fields: { summary: 'Severance budget' } }],
      parent: { id: '10097', key: 'HR-1', fields: { summary: 'Reorg' } },
    };

    const scrubbed = scrubOtherIssues(fields);

    expect(scrubbed).toEqual({ summary: 'Outsourced work' });
    expect(JSON.parse(JSON.stringify(scrubbed))).toStrictEqual({ summary: 'Outsourced work' });
    expect(fields.issuelinks).toHaveLength(1);
  });

  it('removes an issue object nested in a custom field, keeping the rest of the field', () => {
    const fields = {
      customfield_10050: {
        note: 'kept',
        linked: {
          id: '10099',
          key: 'HR-7',
          self: 'https://x.atlassian.net/rest/api/2/issue/10099',
        },
      },
      customfield_10051: [{ key: 'HR-9', fields: {} }, 'plain'],
    };

    expect(scrubOtherIssues(fields)).toEqual({
      customfield_10050: { note: 'kept' },
      customfield_10051: ['plain'],
    });
  });

  it('keeps objects that only look a little like issues: projects, users, statuses', () => {
    const fields = {
      project: {
        id: '10000',
        key: 'KAN',
        self: 'https://x.atlassian.net/rest/api/2/project/10000',
      },
      assignee: { accountId: 'abc', displayName: 'Alex' },
      status: { id: '1', name: 'To Do' },
    };

    expect(scrubOtherIssues(fields)).toEqual(fields);
  });
});

describe('scrubOtherIssues copies only what it must', () => {
  it('passes on values with no issue in them as they are, and copies the path to one removed', () => {
    const untouched = { name: 'Alex', groups: [{ id: 1 }] };
    const holding = { note: 'kept', items: [{ a: 1 }, { key: 'HR-7', fields: {} }, { b: 2 }] };
    const fields = { reporter: untouched, customfield_1: holding, comment: { total: 3 } };

    const scrubbed = scrubOtherIssues(fields, new Set(['comment']));

    expect(scrubbed).toEqual({
      reporter: untouched,
      customfield_1: { note: 'kept', items: [{ a: 1 }, { b: 2 }] },
    });
    expect(scrubbed.reporter).toBe(untouched);
    expect(scrubbed.customfield_1).not.toBe(holding);
    expect((scrubbed.customfield_1 as typeof holding).items[0]).toBe(holding.items[0]);
    expect(holding.items).toHaveLength(3);
  });
});
