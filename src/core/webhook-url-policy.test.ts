import { webhookUrlProblem } from './webhook-url-policy';

const ALLOWED = ['https://api.tasksource.io'];

describe('webhookUrlProblem', () => {
  it('accepts the URL tasksource hands out', () => {
    expect(
      webhookUrlProblem('https://api.tasksource.io/jira?companyId=abc', ALLOWED),
    ).toBeUndefined();
  });

  it.each([
    ['not a URL', 'tasksource.io/jira', 'webhook URL from tasksource'],
    ['plain http', 'http://api.tasksource.io/jira?companyId=abc', 'https'],
    ['another host', 'https://evil.example.com/jira?companyId=abc', 'got evil.example.com'],
    [
      'a look-alike subdomain',
      'https://api.tasksource.io.evil.example/jira?companyId=abc',
      'expected a URL on https://api.tasksource.io',
    ],
    ['another port', 'https://api.tasksource.io:8443/jira?companyId=abc', 'expected a URL on'],
    ['no companyId', 'https://api.tasksource.io/jira', 'companyId'],
    ['an empty companyId', 'https://api.tasksource.io/jira?companyId=', 'companyId'],
  ])('refuses %s', (_, url, words) => {
    expect(webhookUrlProblem(url, ALLOWED)).toContain(words);
  });

  it('accepts a self-hosted bridge the manifest allows', () => {
    expect(
      webhookUrlProblem('https://bridge.example.com/jira?companyId=abc', [
        'https://bridge.example.com',
      ]),
    ).toBeUndefined();
  });
});
