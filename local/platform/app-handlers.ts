import { adminPageResolver } from '../../src/functions/admin-page-resolver';
import { onDeliveryQueue } from '../../src/functions/on-delivery-queue';
import { onJiraEvent } from '../../src/functions/on-jira-event';
import { onReconcile } from '../../src/functions/on-reconcile';
import { projectPageResolver } from '../../src/functions/project-page-resolver';

/**
 * The handlers `manifest.yml` names, by export name, as the local runtime calls them. Forge
 * loads each from its own file (`functions/<function key>.<export>`, one bundle per file);
 * `test/manifest.test.ts` checks these are the functions those files export.
 */
export const APP_HANDLERS: Readonly<Record<string, unknown>> = {
  onJiraEvent,
  onDeliveryQueue,
  onReconcile,
  adminPageResolver,
  projectPageResolver,
};
