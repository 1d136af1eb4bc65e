import { SectionMessage, Text } from '@forge/react';

import { formatTime } from './format-time';

/** Heads the admin page while tasksource has disabled the endpoint (it answered 410). */
export function EndpointDisabledMessage({ since }: { readonly since: string }) {
  const when = formatTime(since);
  return (
    <SectionMessage appearance="error" title="tasksource disabled the endpoint">
      <Text>
        {`tasksource disabled the endpoint on ${when}: nothing is being sent. ` +
          'Changes since then are kept as dead letters in the delivery log below.'}
      </Text>
      <Text>
        Check with tasksource, then save the connection again to resume sending, then use
        &quot;Resend all&quot; to send the kept changes.
      </Text>
    </SectionMessage>
  );
}
