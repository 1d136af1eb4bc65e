/**
 * The handlers `manifest.yml` names, and nothing else.
 */

// trigger: tasksource-jira-events → function on-jira-event
export { onJiraEvent } from './entry/on-jira-event';
