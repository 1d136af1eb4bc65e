/** Function `admin-page-resolver`: the resolvers of `jira:adminPage` `tasksource-admin`. */
export { adminPageResolver } from '../entry/admin-page-resolver';
