/**
 * The body of "Send test event": not a Jira change, so it names itself `tasksource:ping` and
 * carries no issue. Receivers that only know Jira's events can ignore it and answer 2xx.
 */
export function buildPingPayload(input: {
  cloudId: string;
  siteUrl: string;
  deliveryId: string;
  now: number;
}) {
  return {
    timestamp: input.now,
    webhookEvent: 'tasksource:ping',
    tasksource: {
      state: 'ping',
      cloudId: input.cloudId,
      siteUrl: input.siteUrl,
      deliveryId: input.deliveryId,
    },
  };
}
