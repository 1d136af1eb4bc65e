import { ErrorMessage, HelperMessage, Label, Stack } from '@forge/react';
import type { ReactNode } from 'react';

/**
 * One form field as both pages lay it out: the label bound to the input by id, the input, a
 * hint, and the message the resolver gave for this field.
 */

interface FormFieldProps {
  /** The input's id, from `getFieldId(name)`. */
  readonly id: string;
  readonly label: string;
  readonly helper?: string;
  /** What the resolver said about this field, one message or several. */
  readonly error?: string | readonly string[];
  readonly children: ReactNode;
}

export function FormField({ id, label, helper, error, children }: FormFieldProps) {
  return (
    <Stack space="space.050">
      <Label labelFor={id}>{label}</Label>
      {children}
      {helper && <HelperMessage>{helper}</HelperMessage>}
      {[error ?? []].flat().map((message) => (
        <FieldError key={message} message={message} />
      ))}
    </Stack>
  );
}

export function FieldError({ message }: { readonly message: string | undefined }) {
  return message ? <ErrorMessage>{message}</ErrorMessage> : null;
}
