import { outsourcedIssuesJql } from './outsourced-jql';

describe('outsourcedIssuesJql', () => {
  it('asks for the project, the integration account and any mapped label', () => {
    expect(
      outsourcedIssuesJql({
        projectId: '10000',
        integrationAccountId: '712020:abc',
        labels: ['acme-web', 'acme-app'],
      }),
    ).toBe('project = "10000" AND assignee = "712020:abc" AND labels in ("acme-web", "acme-app")');
  });

  it('quotes values so a label cannot change the query', () => {
    const jql = outsourcedIssuesJql({
      projectId: '1',
      integrationAccountId: 'a',
      labels: ['x") OR project != ("y', 'back\\slash'],
    });

    expect(jql).toBe(
      'project = "1" AND assignee = "a" AND labels in ("x\\") OR project != (\\"y", "back\\\\slash")',
    );
  });
});
