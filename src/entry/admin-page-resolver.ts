import Resolver from '@forge/resolver';

import {
  getAdminPage,
  rotateSigningSecret,
  saveAdminSettings,
  sendTestEvent,
} from '../settings/admin-page';
import { listSiteDeliveries } from '../settings/delivery-log-page';
import { adminSavePayload, emptyPayload, resendPayload } from '../settings/page-contract';
import { resendAllAfterOutage, resendOne } from '../settings/resend-dead-letters';
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
definePageCall(resolver, MODULE, 'admin/deliveries', emptyPayload, (deps) =>
  listSiteDeliveries(deps),
);
definePageCall(resolver, MODULE, 'admin/resend', resendPayload, (deps, payload) =>
  resendOne(deps, payload.deliveryId),
);
definePageCall(resolver, MODULE, 'admin/resend-all', emptyPayload, (deps) =>
  resendAllAfterOutage(deps),
);

export const adminPageResolver = resolver.getDefinitions();
