import { Heading, Spinner, Stack, Text } from '@forge/react';

import { DeliveryTable } from './delivery-table';
import { FailureMessage } from './outcome-messages';
import { useReloadableList } from './use-resolver';

/**
 * The project page's delivery log: this project's dead letters on top, then its last
 * deliveries. Resending is for Jira admins, on the admin page.
 */
export function ProjectDeliveryLog() {
  const { answer } = useReloadableList('project/deliveries');

  return (
    <Stack space="space.150">
      <Heading size="small">Delivery log</Heading>
      <Text>
        What was sent to tasksource from this project in the last 7 days. A Jira admin can resend
        dead letters from the app&apos;s admin page.
      </Text>
      {!answer && <Spinner label="Loading the delivery log" />}
      {answer && !answer.ok && <FailureMessage error={answer.error} />}
      {answer?.ok && <DeliveryTable list={answer.data} />}
    </Stack>
  );
}
