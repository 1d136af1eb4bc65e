import { listDeliveries } from './delivery-views';
import type { DeliveryList } from './page-contract';
import type { PageDeps } from './ports';
import type { PageProject } from './project-page';

/**
 * Reading the delivery log: the admin page sees the whole site, a project's settings page only
 * that project. Anyone who can open a page may read it, as with the rest of the page; the
 * rows carry issue keys, event names and statuses, never a URL or a secret.
 */

/** Entries read from each project's log for the site-wide list. */
const PER_PROJECT = 50;
/** Entries read for one project's own page. */
const ONE_PROJECT = 100;
/** Where the log keeps deliveries that belong to no project. */
const NO_PROJECT = 'none';

export async function listSiteDeliveries(deps: PageDeps): Promise<DeliveryList> {
  const [settings, letters] = await Promise.all([
    deps.store.load(),
    deps.deliveries.listDeadLetters(),
  ]);

  // A dead letter's project may no longer be configured; its log still belongs on the page.
  const projectIds = new Set([
    ...Object.keys(settings.projects),
    ...letters.map((letter) => letter.projectId || NO_PROJECT),
    NO_PROJECT,
  ]);
  const logs = await Promise.all(
    [...projectIds].map((projectId) => deps.deliveries.listLog(projectId, PER_PROJECT)),
  );

  return listDeliveries(letters, logs.flat(), settings.connection);
}

export async function listProjectDeliveries(
  deps: PageDeps,
  project: PageProject,
): Promise<DeliveryList> {
  const [settings, letters, entries] = await Promise.all([
    deps.store.load(),
    deps.deliveries.listDeadLetters(),
    deps.deliveries.listLog(project.id, ONE_PROJECT),
  ]);

  const own = letters.filter((letter) => letter.projectId === project.id);
  return listDeliveries(own, entries, settings.connection);
}
