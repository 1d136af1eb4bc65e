import { version } from '../../package.json';
import { APP_VERSION, USER_AGENT } from './app-info';

describe('app-info', () => {
  it("keeps APP_VERSION equal to package.json's version", () => {
    expect(APP_VERSION).toBe(version);
  });

  it('names the app and its version in the user agent', () => {
    expect(USER_AGENT).toMatch(
      new RegExp(`^tasksource-for-jira/${version.replace(/\./g, '\\.')} `),
    );
  });
});
