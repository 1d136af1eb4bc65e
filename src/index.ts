/**
 * The handlers `manifest.yml` names, and nothing else.
 */

// trigger: tasksource-jira-events → function on-jira-event
export { onJiraEvent } from './entry/on-jira-event';

// consumer: tasksource-delivery-consumer (queue tasksource-deliveries) → function on-delivery-queue
export { onDeliveryQueue } from './entry/on-delivery-queue';

// scheduledTrigger: tasksource-reconcile (hourly) → function on-reconcile
export { onReconcile } from './entry/on-reconcile';

// jira:adminPage: tasksource-admin → function admin-page-resolver
export { adminPageResolver } from './entry/admin-page-resolver';

// jira:projectSettingsPage: tasksource-project-settings → function project-page-resolver
export { projectPageResolver } from './entry/project-page-resolver';
