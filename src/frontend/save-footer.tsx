import { FormFooter, LoadingButton } from '@forge/react';

/** The form's Save button, busy while saving; absent for someone who may only read. */
export function SaveFooter({ canEdit, pending }: { canEdit: boolean; pending: boolean }) {
  if (!canEdit) return null;

  return (
    <FormFooter>
      <LoadingButton type="submit" appearance="primary" isLoading={pending}>
        Save
      </LoadingButton>
    </FormFooter>
  );
}
