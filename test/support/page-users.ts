import { INTEGRATION } from './builders';

/** The people who open the settings pages in tests, with the Jira permissions they hold. */

export const ADMIN = {
  accountId: '712020:00000000-0000-4000-8000-0000000000a1',
  permissions: ['ADMINISTER'],
};
export const LEAD = {
  accountId: '712020:00000000-0000-4000-8000-0000000000b2',
  permissions: ['ADMINISTER_PROJECTS'],
};
export const VIEWER = { accountId: '712020:00000000-0000-4000-8000-0000000000c3', permissions: [] };

/** A webhook URL whose company id is easy to search for in logs and answers. */
export const PAGE_WEBHOOK_URL = 'https://api.tasksource.io/jira?companyId=co-secret-4711abcd';

/** The site the pages look at: its users, one project, its labels. */
export const PAGE_SITE = {
  users: [
    {
      accountId: INTEGRATION,
      displayName: 'tasksource Integrations',
      emailAddress: 'integrations@tasksource.io',
    },
    { accountId: ADMIN.accountId, displayName: 'Ada Admin' },
    { accountId: LEAD.accountId, displayName: 'Pat Lead' },
  ],
  projects: { '10000': { key: 'KAN', name: 'My Kanban Project' } },
  labels: ['acme-web', 'other-team'],
};
