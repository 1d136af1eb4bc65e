import Resolver from '@forge/resolver';

import {
  getAdminPage,
  rotateSigningSecret,
  saveAdminSettings,
  sendTestEvent,
} from '../settings/admin-page';
import { adminSavePayload, emptyPayload } from '../settings/page-contract';
import type { ResolverContext } from './page-deps';
import { pageDeps } from './page-deps';
import { answer, parsePayload } from './resolver-answer';

/** Resolvers of the Jira admin page (`jira:adminPage`, opened by "Configure" in Manage apps). */

interface Request {
  readonly payload: unknown;
  readonly context: ResolverContext;
}

const resolver = new Resolver();

resolver.define('admin/get', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'admin');
  return answer(deps.log, async () => {
    parsePayload(emptyPayload, payload);
    return getAdminPage(deps);
  });
});

resolver.define('admin/save', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'admin');
  return answer(deps.log, () => saveAdminSettings(deps, parsePayload(adminSavePayload, payload)));
});

resolver.define('admin/rotate-secret', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'admin');
  return answer(deps.log, async () => {
    parsePayload(emptyPayload, payload);
    return rotateSigningSecret(deps);
  });
});

resolver.define('admin/test', ({ payload, context }: Request) => {
  const deps = pageDeps(context, 'admin');
  return answer(deps.log, async () => {
    parsePayload(emptyPayload, payload);
    return sendTestEvent(deps);
  });
});

export const adminPageResolver = resolver.getDefinitions();
