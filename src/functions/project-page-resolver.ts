/**
 * Function `project-page-resolver`: the resolvers of `jira:projectSettingsPage`
 * `tasksource-project-settings`.
 */
export { projectPageResolver } from '../entry/project-page-resolver';
