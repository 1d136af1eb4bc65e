import ForgeReconciler, {
  Button,
  Form,
  FormSection,
  Heading,
  Inline,
  LoadingButton,
  Lozenge,
  SectionMessage,
  Select,
  Spinner,
  Stack,
  Text,
  Textfield,
  Toggle,
  useForm,
  useProductContext,
} from '@forge/react';
import { StrictMode, useCallback, useEffect, useRef, useState } from 'react';

import type {
  ChecklistLine,
  ProjectSavePayload,
  ProjectView,
  ResolverError,
} from '../settings/page-contract';
import {
  failureOf,
  fieldMessages,
  isLookalikeRefusal,
  labelMessages,
  unclaimedMessages,
} from './field-errors';
import { FieldError, FormField } from './form-field';
import { SaveFooter } from './save-footer';
import { FailureMessage } from './outcome-messages';
import { ProjectDeliveryLog } from './project-delivery-log';
import { callResolver } from './resolver-client';
import { useResolverAction, useSettingsView } from './use-resolver';

/**
 * A project's tasksource settings: which labels mark an issue as outsourced, whether the project
 * forwards at all, and a checklist of what forwarding still needs. The project comes from the
 * resolver's own context; the product context here only names the project while it loads.
 */

function ProjectSettingsPage() {
  const context = useProductContext();
  const { answer, saves, replace } = useSettingsView('project/get');
  const view = answer?.ok ? answer.data : undefined;
  const projectKey: unknown = view?.projectKey ?? context?.extension.project?.key;
  const title = typeof projectKey === 'string' ? `tasksource for ${projectKey}` : 'tasksource';

  if (!answer || !view) {
    return (
      <Stack space="space.200">
        <Heading size="large">{title}</Heading>
        {answer && !answer.ok ? (
          <FailureMessage error={answer.error} />
        ) : (
          <Spinner label="Loading project settings" />
        )}
      </Stack>
    );
  }

  return (
    <Stack space="space.400">
      <Heading size="large">{title}</Heading>
      {!view.canEdit && (
        <SectionMessage appearance="warning" title="Read only">
          <Text>
            You need the Administer Projects permission for this project to change these settings.
          </Text>
        </SectionMessage>
      )}
      <SetupChecklist lines={view.checklist} />
      <ProjectForm
        key={saves}
        view={view}
        saved={saves > 0}
        onSaved={(data) => replace(data, 'saved')}
      />
      <ProjectDeliveryLog />
    </Stack>
  );
}

function SetupChecklist({ lines }: { lines: readonly ChecklistLine[] }) {
  return (
    <Stack space="space.100">
      <Heading size="small">Setup checklist</Heading>
      {lines.map((line) => (
        <Inline key={line.key} space="space.100" alignBlock="center">
          <Lozenge appearance={line.ok ? 'success' : 'removed'}>
            {line.ok ? 'Done' : 'To do'}
          </Lozenge>
          <Text>{line.message}</Text>
        </Inline>
      ))}
    </Stack>
  );
}

// ---- The form: labels and the forwarding switch ----

interface ProjectValues {
  enabled: boolean;
}

interface ProjectFormProps {
  readonly view: ProjectView;
  /** The view is the answer of a save (the form is new after each one). */
  readonly saved: boolean;
  readonly onSaved: (view: ProjectView) => void;
}

function ProjectForm({ view, saved, onSaved }: ProjectFormProps) {
  const { register, getFieldId, handleSubmit } = useForm<ProjectValues>({
    defaultValues: { enabled: view.enabled },
  });
  const [labels, setLabels] = useState(view.labels);
  const save = useResolverAction('project/save');
  const fields = fieldMessages(save.outcome);
  const failure = failureOf(save.outcome);
  const sent = save.lastPayload;
  const disabled = !view.canEdit;

  const send = async (payload: ProjectSavePayload) => {
    const answer = await save.run(payload);
    if (answer.ok) onSaved(answer.data);
  };

  return (
    <Form onSubmit={handleSubmit(({ enabled }) => send({ labels: [...labels], enabled }))}>
      <FormSection title="Forwarding">
        <Stack space="space.200">
          <LabelPicker
            id={getFieldId('labels')}
            newLabelId={getFieldId('newLabel')}
            labels={labels}
            onChange={setLabels}
            disabled={disabled}
            errors={labelMessages(fields, sent?.labels ?? [])}
          />
          <FormField
            id={getFieldId('enabled')}
            label="Forward outsourced issues from this project"
            helper="While this is off nothing is forwarded; the labels stay as they are."
            error={fields.enabled}
          >
            <Toggle {...register('enabled', { disabled })} />
          </FormField>
        </Stack>
      </FormSection>
      {failure && isLookalikeRefusal(failure) && sent && (
        <LookalikeWarning
          error={failure}
          pending={save.pending}
          onSaveAnyway={() => send({ ...sent, acceptLookalikes: true })}
        />
      )}
      {failure && !isLookalikeRefusal(failure) && (
        <FailureMessage
          error={failure}
          details={unclaimedMessages(fields, ['labels', 'enabled'])}
        />
      )}
      {saved && sent === undefined && <SavedMessage checklist={view.checklist} />}
      <SaveFooter canEdit={view.canEdit} pending={save.pending} />
    </Form>
  );
}

/** After a save: success, unless Jira was not marked to send the project's events to the app. */
function SavedMessage({ checklist }: { checklist: readonly ChecklistLine[] }) {
  const events = checklist.find((line) => line.key === 'events');
  if (events && !events.ok) {
    return (
      <SectionMessage appearance="warning" title="Settings saved; Jira may not send events yet">
        <Text>{events.message}</Text>
      </SectionMessage>
    );
  }

  return (
    <SectionMessage appearance="success" title="Settings saved">
      <Text>Issues in this project are forwarded with these settings from now on.</Text>
    </SectionMessage>
  );
}

interface LookalikeWarningProps {
  readonly error: ResolverError;
  readonly pending: boolean;
  readonly onSaveAnyway: () => void;
}

function LookalikeWarning({ error, pending, onSaveAnyway }: LookalikeWarningProps) {
  return (
    <SectionMessage appearance="warning" title="Some labels only look like existing ones">
      <Stack space="space.100">
        <Text>{error.message}</Text>
        <Text>
          Issues carry the label exactly as typed. If these labels are right, save anyway.
        </Text>
        <Inline>
          <LoadingButton appearance="warning" isLoading={pending} onClick={onSaveAnyway}>
            Save anyway
          </LoadingButton>
        </Inline>
      </Stack>
    </SectionMessage>
  );
}

// ---- Label picker: the site's labels, searched and paged, plus labels typed in ----

interface LabelPickerProps {
  readonly id: string;
  readonly newLabelId: string;
  readonly labels: readonly string[];
  readonly onChange: (labels: readonly string[]) => void;
  readonly disabled: boolean;
  readonly errors: readonly string[];
}

function LabelPicker({ id, newLabelId, labels, onChange, disabled, errors }: LabelPickerProps) {
  const known = useLabelSearch(!disabled);
  const options = unique([...labels, ...known.labels]).map(toOption);

  return (
    <Stack space="space.100">
      <FormField
        id={id}
        label="Labels that mark an issue for tasksource"
        helper="An issue is forwarded when it has one of these labels and is assigned to tasksource's account."
        error={errors}
      >
        <Select
          id={id}
          isMulti
          isSearchable
          options={options}
          value={labels.map(toOption)}
          onChange={(selected: unknown) => onChange(labelsOf(selected))}
          onInputChange={(query: string) => known.search(query)}
          isLoading={known.loading}
          isDisabled={disabled}
          placeholder="Search this site's labels"
        />
      </FormField>
      {known.failure && (
        <FieldError message={`Labels could not be loaded: ${known.failure.message}`} />
      )}
      {!disabled && known.nextStartAt !== undefined && (
        <Inline>
          <Button appearance="subtle" isDisabled={known.loading} onClick={known.loadMore}>
            Load more labels
          </Button>
        </Inline>
      )}
      {!disabled && (
        <NewLabelField id={newLabelId} onAdd={(label) => onChange(unique([...labels, label]))} />
      )}
    </Stack>
  );
}

function NewLabelField({ id, onAdd }: { id: string; onAdd: (label: string) => void }) {
  const [draft, setDraft] = useState('');

  const add = () => {
    const label = draft.trim();
    if (!label) return;
    onAdd(label);
    setDraft('');
  };

  return (
    <FormField
      id={id}
      label="New label"
      helper="For a label no issue has yet: Jira creates it when an issue first gets it."
    >
      <Textfield
        id={id}
        name="newLabel"
        value={draft}
        onChange={(event) => setDraft(String(event.target.value ?? ''))}
        placeholder="e.g. outsourced"
      />
      <Inline>
        <Button onClick={add}>Add label</Button>
      </Inline>
    </FormField>
  );
}

interface LabelOption {
  readonly label: string;
  readonly value: string;
}

function toOption(label: string): LabelOption {
  return { label, value: label };
}

function labelsOf(selected: unknown): string[] {
  if (!Array.isArray(selected)) return [];
  return selected.flatMap((option: Partial<LabelOption> | null) =>
    typeof option?.value === 'string' ? [option.value] : [],
  );
}

function unique(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}

// ---- Loading the site's labels ----

/** Typing pauses this long before the labels are searched, to spare the rate limit. */
const SEARCH_DELAY_MS = 300;

interface LabelSearch {
  readonly labels: readonly string[];
  readonly nextStartAt?: number;
  readonly loading: boolean;
  readonly failure?: ResolverError;
  readonly search: (query: string) => void;
  readonly loadMore: () => void;
}

interface LabelResults {
  readonly query: string;
  readonly labels: readonly string[];
  readonly nextStartAt?: number;
  readonly loading: boolean;
  readonly failure?: ResolverError;
}

function useLabelSearch(active: boolean): LabelSearch {
  const [results, setResults] = useState<LabelResults>({ query: '', labels: [], loading: active });
  const latestRequest = useRef(0);
  const pendingSearch = useRef<ReturnType<typeof setTimeout>>(undefined);

  const load = useCallback(async (query: string, startAt?: number) => {
    const request = ++latestRequest.current;
    setResults((current) => ({ ...current, loading: true }));
    const answer = await callResolver('project/labels', {
      ...(query ? { query } : {}),
      ...(startAt === undefined ? {} : { startAt }),
    });
    if (request !== latestRequest.current) return;

    setResults((current) => {
      if (!answer.ok) return { ...current, loading: false, failure: answer.error };
      const earlier = startAt === undefined ? [] : current.labels;
      const { labels, nextStartAt } = answer.data;
      return { query, labels: unique([...earlier, ...labels]), nextStartAt, loading: false };
    });
  }, []);

  useEffect(() => {
    if (active) void load('');
    return () => {
      latestRequest.current += 1;
      clearTimeout(pendingSearch.current);
    };
  }, [active, load]);

  const search = (query: string) => {
    clearTimeout(pendingSearch.current);
    if (!active || query.trim() === results.query) return;
    pendingSearch.current = setTimeout(() => void load(query.trim()), SEARCH_DELAY_MS);
  };

  const loadMore = () => {
    if (results.nextStartAt !== undefined) void load(results.query, results.nextStartAt);
  };

  return { ...results, search, loadMore };
}

ForgeReconciler.render(
  <StrictMode>
    <ProjectSettingsPage />
  </StrictMode>,
);
