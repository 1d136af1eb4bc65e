import Resolver from '@forge/resolver';

import { ValidationError } from '../core/errors';
import { emptyPayload, labelSearchPayload, projectSavePayload } from '../settings/page-contract';
import type { PageProject } from '../settings/project-page';
import { getProjectPage, saveProjectPage, searchLabels } from '../settings/project-page';
import type { ResolverContext } from './page-deps';
import { pageDeps, text } from './page-deps';
import { answer, parsePayload } from './resolver-answer';

/** Resolvers of the project settings page (`jira:projectSettingsPage`). */

interface Request {
  readonly payload: unknown;
  readonly context: ResolverContext;
}

const resolver = new Resolver();

resolver.define('project/get', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'project-settings');
  return answer(deps.log, async () => {
    parsePayload(emptyPayload, payload);
    return getProjectPage(deps, projectOf(context));
  });
});

resolver.define('project/save', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'project-settings');
  return answer(deps.log, () =>
    saveProjectPage(deps, projectOf(context), parsePayload(projectSavePayload, payload)),
  );
});

resolver.define('project/labels', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'project-settings');
  return answer(deps.log, async () => {
    const { query, startAt } = parsePayload(labelSearchPayload, payload);
    return searchLabels(deps, query, startAt);
  });
});

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
