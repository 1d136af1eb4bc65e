import { maskSecret, maskWebhookUrl } from './mask';

describe('maskWebhookUrl', () => {
  it('keeps origin and path and masks every query value, showing the end of long ones', () => {
    expect(maskWebhookUrl('https://api.tasksource.io/jira?companyId=co-secret-4711abcd&x=1')).toBe(
      'https://api.tasksource.io/jira?companyId=••••abcd&x=••••',
    );
  });

  it('never echoes something that is not a URL', () => {
    expect(maskWebhookUrl('not a url but maybe a secret')).toBe('••••');
  });
});

describe('maskSecret', () => {
  it('shows the prefix and the last four characters only', () => {
    expect(maskSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_••••LaSw');
  });
});
