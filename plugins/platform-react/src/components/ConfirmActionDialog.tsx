import { ReactNode } from 'react';
import { ActionDialog } from './ActionDialog';

/**
 * What a confirmation asks: shown before anything changes.
 *
 * @public
 */
export type PendingAction = {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Does the change; its error is shown in the dialog, which stays open. */
  run: () => Promise<void>;
};

/**
 * Asks before a change (a deploy, a promotion, a re-run, a cancel) acts,
 * shows progress while it runs and the backend's message when it is refused.
 * Open while `action` is set; closes itself once the action has succeeded.
 *
 * @public
 */
export function ConfirmActionDialog(props: {
  action?: PendingAction;
  onClose: () => void;
}) {
  const { action, onClose } = props;
  return (
    <ActionDialog
      open={Boolean(action)}
      title={action?.title}
      confirmLabel={action?.confirmLabel}
      onConfirm={async () => {
        if (!action) return;
        await action.run();
        onClose();
      }}
      onClose={onClose}
    >
      {action?.body}
    </ActionDialog>
  );
}
