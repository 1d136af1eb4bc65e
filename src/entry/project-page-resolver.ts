import Resolver from '@forge/resolver';

import { ValidationError } from '../core/errors';
import { listProjectDeliveries } from '../settings/delivery-log-page';
import { emptyPayload, labelSearchPayload, projectSavePayload } from '../settings/page-contract';
import type { PageProject } from '../settings/project-page';
import { getProjectPage, saveProjectPage, searchLabels } from '../settings/project-page';
import type { ResolverContext } from './page-deps';
import { text } from './page-deps';
import { definePageCall } from './define-page-call';

/** Resolvers of the project settings page (`jira:projectSettingsPage`). */

const resolver = new Resolver();
const MODULE = 'project-settings';

definePageCall(resolver, MODULE, 'project/get', emptyPayload, (deps, _payload, context) =>
  getProjectPage(deps, projectOf(context)),
);
definePageCall(resolver, MODULE, 'project/save', projectSavePayload, (deps, payload, context) =>
  saveProjectPage(deps, projectOf(context), payload),
);
definePageCall(resolver, MODULE, 'project/labels', labelSearchPayload, (deps, payload) =>
  searchLabels(deps, payload.query, payload.startAt),
);
definePageCall(resolver, MODULE, 'project/deliveries', emptyPayload, (deps, _payload, context) =>
  listProjectDeliveries(deps, projectOf(context)),
);

export const projectPageResolver = resolver.getDefinitions();

/** The project the page is open in, as the platform says: the only project it may change. */
function projectOf(context: ResolverContext): PageProject {
  const id = text(context.extension?.project?.id);
  if (!/^[0-9]{1,18}$/.test(id)) {
    throw new ValidationError('[project] The page is not open in a project', [
      { path: 'project', message: 'expected the page to be opened from a project’s settings' },
    ]);
  }
  return { id, key: text(context.extension?.project?.key) || undefined };
}
