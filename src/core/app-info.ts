/** Kept equal to package.json's version by `app-info.test.ts`. */
export const APP_VERSION = '0.1.0';

export const USER_AGENT = `tasksource-for-jira/${APP_VERSION} (Atlassian Forge)`;
