import { DynamicTable, LoadingButton, Lozenge, Stack, Text } from '@forge/react';
import type { ReactElement } from 'react';

import type {
  DeadLetterView,
  DeliveryList,
  DeliveryState,
  DeliveryView,
} from '../settings/page-contract';
import { formatTime } from './format-time';

/**
 * The delivery log as a table: dead letters on top, marked and highlighted, each with a
 * Resend button when the page offers one; then the last deliveries, newest first. Cell
 * contents are UI Kit primitives only: DynamicTable evaluates them outside React's hooks.
 */

export interface ResendControl {
  /** Whether the viewer may resend; otherwise the buttons show, disabled. */
  readonly canEdit: boolean;
  /** The delivery id being resent right now, if any. */
  readonly pendingId: string | undefined;
  readonly onResend: (deliveryId: string) => void;
}

interface DeliveryTableProps {
  readonly list: DeliveryList;
  readonly resend?: ResendControl;
  readonly isLoading?: boolean;
}

const COLUMNS = ['Time', 'Issue', 'Event', 'State', 'Status', 'Attempts', 'Latency', 'Error'];
const ROWS_PER_PAGE = 25;

export function DeliveryTable({ list, resend, isLoading = false }: DeliveryTableProps) {
  const columns = resend ? [...COLUMNS, ''] : COLUMNS;
  const head = {
    cells: columns.map((name) => ({ key: name || 'action', content: name })),
  };
  const rows = [
    ...list.deadLetters.map((letter) => ({
      key: `dead-${letter.deliveryId}`,
      isHighlighted: true,
      cells: toCells(letter, resend ? [resendButton(letter, resend)] : []),
    })),
    ...list.deliveries.map((delivery, index) => ({
      key: `log-${index}-${delivery.deliveryId}`,
      cells: toCells(delivery, resend ? [''] : []),
    })),
  ];
  // Not `emptyView`: its type wants an element, and an element prop does not cross the bridge
  // (see the note on `normaliseProps` in @forge/react's reconciler).
  if (rows.length === 0) return <Text>No deliveries in the last 7 days, and no dead letters.</Text>;

  return (
    <DynamicTable
      label="Delivery log"
      head={head}
      rows={rows}
      rowsPerPage={ROWS_PER_PAGE}
      isLoading={isLoading}
    />
  );
}

type CellContent = ReactElement | string;

function toCells(row: DeliveryView | DeadLetterView, extra: CellContent[]) {
  const contents: CellContent[] = [
    formatTime(row.time),
    row.issueKey,
    row.webhookEvent ?? row.eventType,
    stateLozenge(row.state),
    row.status === null ? '–' : String(row.status),
    String(row.attempts),
    row.latencyMs === null ? '–' : `${Math.round(row.latencyMs)} ms`,
    errorText(row),
    ...extra,
  ];
  const keys = [...COLUMNS, 'action'];
  return contents.map((content, index) => ({ key: keys[index] ?? String(index), content }));
}

const STATES: Record<DeliveryState, { label: string; appearance: LozengeAppearance }> = {
  delivered: { label: 'Delivered', appearance: 'success' },
  retrying: { label: 'Retrying', appearance: 'inprogress' },
  'dead-letter': { label: 'Dead letter', appearance: 'removed' },
  skipped: { label: 'Skipped', appearance: 'default' },
};

type LozengeAppearance = 'default' | 'inprogress' | 'removed' | 'success';

function stateLozenge(state: DeliveryState): ReactElement {
  const { label, appearance } = STATES[state];
  return <Lozenge appearance={appearance}>{label}</Lozenge>;
}

function errorText(row: DeliveryView | DeadLetterView): CellContent {
  if (!('explanation' in row)) return row.error ?? '';

  return (
    <Stack space="space.050">
      <Text>{row.explanation}</Text>
      {row.error && <Text>{row.error}</Text>}
    </Stack>
  );
}

function resendButton(letter: DeadLetterView, resend: ResendControl): ReactElement {
  const pending = resend.pendingId === letter.deliveryId;
  return (
    <LoadingButton
      isLoading={pending}
      isDisabled={!resend.canEdit || (resend.pendingId !== undefined && !pending)}
      onClick={() => resend.onResend(letter.deliveryId)}
    >
      Resend
    </LoadingButton>
  );
}
