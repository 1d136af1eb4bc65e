import Resolver from '@forge/resolver';

import {
  getAdminPage,
  rotateSigningSecret,
  saveAdminSettings,
  sendTestEvent,
} from '../settings/admin-page';
import { adminSavePayload, emptyPayload } from '../settings/page-contract';
import { definePageCall } from './define-page-call';

/** Resolvers of the Jira admin page (`jira:adminPage`, opened by "Configure" in Manage apps). */

const resolver = new Resolver();
const MODULE = 'admin';

definePageCall(resolver, MODULE, 'admin/get', emptyPayload, (deps) => getAdminPage(deps));
definePageCall(resolver, MODULE, 'admin/save', adminSavePayload, (deps, payload) =>
  saveAdminSettings(deps, payload),
);
definePageCall(resolver, MODULE, 'admin/rotate-secret', emptyPayload, (deps) =>
  rotateSigningSecret(deps),
);
definePageCall(resolver, MODULE, 'admin/test', emptyPayload, (deps) => sendTestEvent(deps));

export const adminPageResolver = resolver.getDefinitions();
