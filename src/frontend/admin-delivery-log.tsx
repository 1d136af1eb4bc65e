import { Heading, Inline, LoadingButton, SectionMessage, Spinner, Stack, Text } from '@forge/react';

import type {
  DeliveryList,
  ResolverAnswer,
  ResentLetter,
  ResentLetters,
} from '../settings/page-contract';
import { DeliveryTable } from './delivery-table';
import { FailureMessage } from './outcome-messages';
import { useReloadableList, useResolverAction } from './use-resolver';

/**
 * The admin page's delivery log: the site's dead letters, each with Resend, above its last
 * deliveries; and "Resend all" for the changes kept while tasksource or Jira was away.
 */

interface AdminDeliveryLogProps {
  readonly canEdit: boolean;
  /** tasksource has disabled the endpoint: resending would only make the dead letter again. */
  readonly endpointDisabled: boolean;
}

export function AdminDeliveryLog({ canEdit, endpointDisabled }: AdminDeliveryLogProps) {
  const { answer, reloading, reload } = useReloadableList('admin/deliveries');
  const resend = useResolverAction('admin/resend');
  const resendAll = useResolverAction('admin/resend-all');
  const mayResend = canEdit && !endpointDisabled;

  const resendOne = async (deliveryId: string) => {
    const outcome = await resend.run({ deliveryId });
    if (outcome.ok || outcome.error.code === 'not-found') await reload();
  };
  const resendDisabled = async () => {
    if ((await resendAll.run({})).ok) await reload();
  };

  return (
    <Stack space="space.150">
      <Heading size="small">Delivery log</Heading>
      <Text>
        Dead letters (changes that were not delivered and will not be retried by themselves) come
        first, then the last deliveries. The log keeps 7 days; dead letters are kept 30 days.
      </Text>
      {resend.outcome && <ResendOutcome outcome={resend.outcome} />}
      {resendAll.outcome && <ResendAllOutcome outcome={resendAll.outcome} />}
      {answer?.ok && waitingCount(answer.data) > 0 && (
        <Inline>
          <LoadingButton
            isLoading={resendAll.pending}
            isDisabled={!mayResend || resend.pending}
            onClick={resendDisabled}
          >
            Resend all
          </LoadingButton>
        </Inline>
      )}
      <DeliveryLogBody
        answer={answer}
        reloading={reloading}
        canEdit={mayResend && !resendAll.pending}
        pendingId={resend.pending ? resend.lastPayload?.deliveryId : undefined}
        onResend={resendOne}
      />
    </Stack>
  );
}

interface DeliveryLogBodyProps {
  readonly answer: ResolverAnswer<DeliveryList> | undefined;
  readonly reloading: boolean;
  readonly canEdit: boolean;
  readonly pendingId: string | undefined;
  readonly onResend: (deliveryId: string) => void;
}

function DeliveryLogBody({
  answer,
  reloading,
  canEdit,
  pendingId,
  onResend,
}: DeliveryLogBodyProps) {
  if (!answer) return <Spinner label="Loading the delivery log" />;
  if (!answer.ok) return <FailureMessage error={answer.error} />;

  return (
    <Stack space="space.100">
      {answer.data.deadLetterTotal > answer.data.deadLetters.length && (
        <Text>
          {`Showing the newest ${answer.data.deadLetters.length} of ` +
            `${answer.data.deadLetterTotal} dead letters.`}
        </Text>
      )}
      <DeliveryTable
        list={answer.data}
        isLoading={reloading}
        resend={{ canEdit, pendingId, onResend }}
      />
    </Stack>
  );
}

/** Dead letters "Resend all" takes: those kept for want of tasksource or Jira. */
function waitingCount(list: DeliveryList): number {
  return list.deadLetters.filter((letter) => letter.resentTogether).length;
}

function ResendOutcome({ outcome }: { readonly outcome: ResolverAnswer<ResentLetter> }) {
  if (!outcome.ok) return <FailureMessage error={outcome.error} />;

  return (
    <SectionMessage appearance="success" title={`${outcome.data.issueKey} is sent again`}>
      <Text>
        It goes out under the same delivery id, after the changes to the issue already waiting.
      </Text>
    </SectionMessage>
  );
}

function ResendAllOutcome({ outcome }: { readonly outcome: ResolverAnswer<ResentLetters> }) {
  if (!outcome.ok) return <FailureMessage error={outcome.error} />;

  const { resent, remaining } = outcome.data;
  const left = remaining > 0 ? ` ${remaining} more wait: press "Resend all" again.` : '';
  return (
    <SectionMessage
      appearance="success"
      title={`${resent} ${resent === 1 ? 'change is' : 'changes are'} sent again`}
    >
      <Text>{`Each goes out under its own delivery id, in the order it happened.${left}`}</Text>
    </SectionMessage>
  );
}
