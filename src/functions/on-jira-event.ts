/**
 * Function `on-jira-event` (trigger `tasksource-jira-events`). Forge bundles each handler file
 * the manifest names on its own, so this file's imports are all the trigger loads.
 */
export { onJiraEvent } from '../entry/on-jira-event';
