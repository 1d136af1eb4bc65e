import ForgeReconciler, {
  Button,
  Code,
  Form,
  FormSection,
  Heading,
  Inline,
  Link,
  LoadingButton,
  Lozenge,
  SectionMessage,
  Select,
  Spinner,
  Stack,
  Text,
  Textfield,
  UserPicker,
  useForm,
} from '@forge/react';
import type { UserPickerValue } from '@forge/react';
import { StrictMode, useState } from 'react';

import type {
  AccountView,
  AdminSavePayload,
  AdminView,
  ConfiguredProjectView,
  ResolverAnswer,
  TestEventResult,
} from '../settings/page-contract';
import { AdminDeliveryLog } from './admin-delivery-log';
import { EndpointDisabledMessage } from './endpoint-disabled-message';
import { failureOf, fieldMessages, unclaimedMessages } from './field-errors';
import { FormField } from './form-field';
import { SaveFooter } from './save-footer';
import { FailureMessage } from './outcome-messages';
import { useResolverAction, useSettingsView } from './use-resolver';

/**
 * The Jira administration page: tasksource's webhook URL, its integration account and the
 * signing secret; a test event; the projects that forward issues; the delivery log. Secrets and
 * the saved URL only ever arrive masked, except a newly generated secret, which is shown once.
 */

function AdminPage() {
  const { answer, saves, replace } = useSettingsView('admin/get');

  if (!answer) return <Spinner label="Loading tasksource settings" />;
  if (!answer.ok) return <FailureMessage error={answer.error} />;

  const view = answer.data;
  return (
    <Stack space="space.400">
      <Inline space="space.150" alignBlock="center">
        <Heading size="large">tasksource for Jira</Heading>
        <Lozenge appearance={view.connected ? 'success' : 'removed'}>
          {view.connected ? 'Connected' : 'Not connected'}
        </Lozenge>
      </Inline>
      {view.endpointDisabledAt && <EndpointDisabledMessage since={view.endpointDisabledAt} />}
      {!view.canEdit && (
        <SectionMessage appearance="warning" title="Read only">
          <Text>You need Jira administration permission to change these settings.</Text>
        </SectionMessage>
      )}
      <ConnectionForm
        key={saves}
        view={view}
        saved={saves > 0}
        onSaved={(data) => replace(data, 'saved')}
      />
      <SigningSecretSection
        view={view}
        onRotated={(masked) => replace({ ...view, signingSecretMasked: masked }, 'changed')}
      />
      <TestEventSection view={view} />
      <ConfiguredProjects projects={view.projects} />
      <AdminDeliveryLog
        canEdit={view.canEdit}
        endpointDisabled={view.endpointDisabledAt !== null}
      />
    </Stack>
  );
}

// ---- Connection: URL, integration account, a pasted secret ----

interface ConnectionValues {
  webhookUrl?: string;
  signingSecret?: string;
}

/** Field names the form shows messages under; others go with the form's error. */
const CONNECTION_FIELDS = ['webhookUrl', 'integrationAccountId', 'signingSecret'];

interface ConnectionFormProps {
  readonly view: AdminView;
  /** The view is the answer of a save (the form is new after each one). */
  readonly saved: boolean;
  readonly onSaved: (view: AdminView) => void;
}

function ConnectionForm({ view, saved, onSaved }: ConnectionFormProps) {
  const { register, getFieldId, handleSubmit } = useForm<ConnectionValues>();
  const account = useAccountChoice(view);
  const save = useResolverAction('admin/save');
  const fields = fieldMessages(save.outcome);
  const failure = failureOf(save.outcome);
  const disabled = !view.canEdit;

  const submit = async (values: ConnectionValues) => {
    const answer = await save.run(toSavePayload(values, account.chosen));
    if (answer.ok) onSaved(answer.data);
  };

  return (
    <Form onSubmit={handleSubmit(submit)}>
      <FormSection title="Connection">
        <Stack space="space.200">
          <FormField
            id={getFieldId('webhookUrl')}
            label="tasksource webhook URL"
            helper={webhookUrlHint(view.webhookUrlMasked)}
            error={fields.webhookUrl}
          >
            <Textfield
              {...register('webhookUrl', { disabled })}
              placeholder={view.webhookUrlMasked ?? 'https://api.tasksource.io/jira?companyId=…'}
            />
          </FormField>
          <IntegrationAccountField
            id={getFieldId('integrationAccountId')}
            account={account}
            disabled={disabled}
            error={fields.integrationAccountId}
          />
          <FormField
            id={getFieldId('signingSecret')}
            label="Existing signing secret (optional)"
            helper="To keep a secret tasksource already has, paste it here. Leave empty to keep the current one."
            error={fields.signingSecret}
          >
            <Textfield
              {...register('signingSecret', { disabled })}
              type="password"
              placeholder="whsec_…"
            />
          </FormField>
        </Stack>
      </FormSection>
      {failure && (
        <FailureMessage error={failure} details={unclaimedMessages(fields, CONNECTION_FIELDS)} />
      )}
      {saved && save.lastPayload === undefined && (
        <SectionMessage appearance="success" title="Settings saved">
          <Text>tasksource receives changes with these settings from now on.</Text>
        </SectionMessage>
      )}
      <SaveFooter canEdit={view.canEdit} pending={save.pending} />
    </Form>
  );
}

function webhookUrlHint(masked: string | null): string {
  if (masked) return `Saved: ${masked}. Leave empty to keep it.`;
  return 'The URL tasksource gives you for this Jira site.';
}

function toSavePayload(values: ConnectionValues, account: AccountView | null): AdminSavePayload {
  const webhookUrl = values.webhookUrl?.trim();
  const signingSecret = values.signingSecret?.trim();
  return {
    integrationAccountId: account?.accountId ?? '',
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(signingSecret ? { signingSecret } : {}),
  };
}

// ---- Integration account: a candidate, or anyone found with the user picker ----

interface AccountChoice {
  readonly chosen: AccountView | null;
  readonly options: readonly AccountOption[];
  readonly choose: (account: AccountView | null) => void;
}

interface AccountOption {
  readonly label: string;
  readonly value: string;
}

function useAccountChoice(view: AdminView): AccountChoice {
  const [chosen, choose] = useState(view.integrationAccount);
  const known = [...view.integrationAccountCandidates, view.integrationAccount, chosen];
  const byId = new Map(known.flatMap((one) => (one ? [[one.accountId, one] as const] : [])));
  return { chosen, options: [...byId.values()].map(toOption), choose };
}

function toOption(account: AccountView): AccountOption {
  return { label: account.displayName, value: account.accountId };
}

function fromOption(option: unknown): AccountView | null {
  if (typeof option !== 'object' || option === null) return null;
  const { label, value } = option as Partial<AccountOption>;
  return typeof value === 'string' ? { accountId: value, displayName: label ?? value } : null;
}

function fromPickedUser(user: UserPickerValue | undefined): AccountView | null {
  return user?.id ? { accountId: user.id, displayName: user.name || user.id } : null;
}

interface IntegrationAccountFieldProps {
  readonly id: string;
  readonly account: AccountChoice;
  readonly disabled: boolean;
  readonly error: string | undefined;
}

function IntegrationAccountField({ id, account, disabled, error }: IntegrationAccountFieldProps) {
  return (
    <FormField
      id={id}
      label="Integration account"
      helper="The Jira account tasksource works as: issues assigned to it are outsourced."
      error={error}
    >
      <Select
        id={id}
        options={[...account.options]}
        value={account.chosen ? toOption(account.chosen) : null}
        onChange={(option: unknown) => account.choose(fromOption(option))}
        isDisabled={disabled}
        placeholder="Choose tasksource's account"
      />
      {!disabled && (
        <UserPicker
          label="Not in the list? Find the account by name"
          name="integrationAccountSearch"
          description="Jira may hide e-mail addresses, so search by display name."
          onChange={(user) => account.choose(fromPickedUser(user))}
        />
      )}
    </FormField>
  );
}

// ---- Signing secret: generate a new one, shown once ----

interface SigningSecretSectionProps {
  readonly view: AdminView;
  readonly onRotated: (masked: string) => void;
}

function SigningSecretSection({ view, onRotated }: SigningSecretSectionProps) {
  const rotate = useResolverAction('admin/rotate-secret');
  const [dismissed, setDismissed] = useState(false);
  const failure = failureOf(rotate.outcome);
  const fresh = rotate.outcome?.ok && !dismissed ? rotate.outcome.data.signingSecret : null;

  const generate = async () => {
    setDismissed(false);
    const answer = await rotate.run({});
    if (answer.ok) onRotated(answer.data.signingSecretMasked);
  };

  return (
    <Stack space="space.150">
      <Heading size="small">Signing secret</Heading>
      <Text>
        {view.signingSecretMasked
          ? `Deliveries are signed with ${view.signingSecretMasked}.`
          : 'No signing secret: deliveries are sent unsigned.'}
      </Text>
      {fresh && <NewSecretMessage secret={fresh} onDone={() => setDismissed(true)} />}
      {failure && <FailureMessage error={failure} />}
      <Inline>
        <LoadingButton isLoading={rotate.pending} isDisabled={!view.canEdit} onClick={generate}>
          Generate new signing secret
        </LoadingButton>
      </Inline>
    </Stack>
  );
}

function NewSecretMessage({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <SectionMessage appearance="warning" title="Copy the new signing secret now">
      <Stack space="space.100">
        <Code>{secret}</Code>
        <Text>
          Paste it into tasksource&apos;s Jira connection settings, so tasksource can check that
          deliveries come from this site. It is shown only this once; afterwards only its masked
          form appears here.
        </Text>
        <Inline>
          <Button onClick={onDone}>I have pasted it into tasksource</Button>
        </Inline>
      </Stack>
    </SectionMessage>
  );
}

// ---- Test event ----

function TestEventSection({ view }: { readonly view: AdminView }) {
  const test = useResolverAction('admin/test');

  return (
    <Stack space="space.150">
      <Heading size="small">Test the connection</Heading>
      <Text>
        {view.connected
          ? 'Sends a sample event to tasksource with the saved settings.'
          : 'Save a webhook URL first; then send a sample event to check it.'}
      </Text>
      {test.outcome && <TestEventOutcome outcome={test.outcome} />}
      <Inline>
        <LoadingButton
          isLoading={test.pending}
          isDisabled={!view.canEdit || !view.connected}
          onClick={() => test.run({})}
        >
          Send test event
        </LoadingButton>
      </Inline>
    </Stack>
  );
}

function TestEventOutcome({ outcome }: { outcome: ResolverAnswer<TestEventResult> }) {
  if (!outcome.ok) return <FailureMessage error={outcome.error} />;

  const { delivered, message } = outcome.data;
  return (
    <SectionMessage
      appearance={delivered ? 'success' : 'error'}
      title={delivered ? 'tasksource received the test event' : 'The test event was not delivered'}
    >
      <Text>{message}</Text>
    </SectionMessage>
  );
}

// ---- Projects that forward issues ----

function ConfiguredProjects({ projects }: { projects: readonly ConfiguredProjectView[] }) {
  return (
    <Stack space="space.150">
      <Heading size="small">Projects</Heading>
      {projects.length === 0 ? (
        <Text>
          No project forwards issues yet. Choose labels in a project&apos;s settings, under
          tasksource.
        </Text>
      ) : (
        projects.map((project) => <ProjectLine key={project.id} project={project} />)
      )}
    </Stack>
  );
}

function ProjectLine({ project }: { project: ConfiguredProjectView }) {
  const name = projectName(project);
  return (
    <Inline space="space.100" alignBlock="center" shouldWrap>
      <Text>{project.settingsUrl ? <Link href={project.settingsUrl}>{name}</Link> : name}</Text>
      {project.labels.map((label) => (
        <Code key={label}>{label}</Code>
      ))}
      {project.labels.length === 0 && <Text>no labels</Text>}
      {!project.enabled && <Lozenge appearance="moved">Paused</Lozenge>}
    </Inline>
  );
}

function projectName({ id, key, name }: ConfiguredProjectView): string {
  if (name && key) return `${name} (${key})`;
  return name ?? key ?? `Project ${id}`;
}

ForgeReconciler.render(
  <StrictMode>
    <AdminPage />
  </StrictMode>,
);
