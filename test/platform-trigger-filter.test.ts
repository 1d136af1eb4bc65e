import { PROJECT_FLAG, PROJECT_FLAG_KEY } from '../src/core/project-flag';
import { APP_HANDLERS as appHandlers } from '../local/platform/app-handlers';
import { makeEvent, makeIssue } from './support/builders';
import { noticesOf, withPlatform } from './support/platform';

/**
 * The local platform applies the manifest's trigger filter before it invokes the trigger: an
 * event the filter drops is reported and costs no invocation; retries are not filtered again.
 */

const event = makeEvent('avi:jira:created:issue', makeIssue());

describe('the trigger filter on the local platform', () => {
  it('drops an event the app caused itself (ignoreSelf), with a notice and no invocation', async () => {
    await withPlatform(
      async (platform, notices) => {
        platform.jira.projectProperties.set('10000', PROJECT_FLAG_KEY, PROJECT_FLAG);
        await platform.fireTrigger({ ...event, selfGenerated: true });

        expect(noticesOf(notices, 'trigger-filtered')).toEqual([
          expect.objectContaining({
            projectId: '10000',
            reason: 'self-generated',
            detail: 'filtered by the platform: the app caused this change itself (ignoreSelf)',
          }),
        ]);
        expect(noticesOf(notices, 'trigger-result')).toEqual([]);
        expect(platform.invocations).toEqual([]);
      },
      { handlers: { ...appHandlers, onJiraEvent: async () => ({ outcome: 'delivered' }) } },
    );
  });

  it('invokes the trigger once for an event it lets through, recording the invocation', async () => {
    const calls: unknown[] = [];
    const onJiraEvent = async (received: unknown) => {
      calls.push(received);
      return { outcome: 'skipped', reason: 'test', detail: 'counted' };
    };

    await withPlatform(
      async (platform) => {
        platform.jira.projectProperties.set('10000', PROJECT_FLAG_KEY, PROJECT_FLAG);
        await platform.fireTrigger(event);

        expect(calls).toEqual([event]);
        expect(platform.invocations.map((record) => record.functionKey)).toEqual(['on-jira-event']);
      },
      { handlers: { ...appHandlers, onJiraEvent } },
    );
  });
});
