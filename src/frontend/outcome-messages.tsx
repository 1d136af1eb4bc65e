import { List, ListItem, SectionMessage, Text } from '@forge/react';

import type { ResolverError } from '../settings/page-contract';
import { unclaimedMessages } from './field-errors';

/**
 * How both pages show a failed answer: one section message whose title says what to do next.
 */

const TITLES: Record<ResolverError['code'], string> = {
  'invalid-input': 'Some settings need fixing',
  forbidden: 'You are not allowed to change these settings',
  unavailable: 'Try again in a moment',
  'not-connected': 'Connect tasksource first',
  'not-found': 'Nothing to do any more',
  internal: 'Something went wrong',
};

interface FailureMessageProps {
  readonly error: ResolverError;
  /** Field messages that no field on the page shows; by default all of them. */
  readonly details?: readonly string[];
}

export function FailureMessage({ error, details }: FailureMessageProps) {
  const shown = details ?? unclaimedMessages(error.fields ?? {}, []);
  return (
    <SectionMessage
      appearance={error.code === 'unavailable' ? 'warning' : 'error'}
      title={TITLES[error.code]}
    >
      <Text>{error.message}</Text>
      {shown.length > 0 && (
        <List type="unordered">
          {shown.map((detail) => (
            <ListItem key={detail}>{detail}</ListItem>
          ))}
        </List>
      )}
    </SectionMessage>
  );
}
