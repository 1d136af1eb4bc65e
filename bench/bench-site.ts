import { createKvsSettingsStore } from '../src/adapters/kvs-settings-store';
import { saveConnectionSettings, saveProjectSettings } from '../src/settings/settings-service';
import { INTEGRATION, PROJECT, SECRET, SITE, WEBHOOK_URL } from '../test/support/builders';

/**
 * The site every benchmark runs on, as an admin leaves it: connected to tasksource, and one
 * project (`PROJECT`) outsourcing with the label `acme-web`.
 */
export async function connectBenchSite(): Promise<void> {
  const store = createKvsSettingsStore();
  await saveConnectionSettings(store, {
    integrationAccountId: INTEGRATION,
    webhookUrl: WEBHOOK_URL,
    signingSecret: SECRET,
    siteUrl: SITE,
  });
  await saveProjectSettings(store, PROJECT, { labels: ['acme-web'], enabled: true });
}
