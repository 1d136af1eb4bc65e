/** Function `on-reconcile` (scheduled trigger `tasksource-reconcile`, hourly). */
export { onReconcile } from '../entry/on-reconcile';
