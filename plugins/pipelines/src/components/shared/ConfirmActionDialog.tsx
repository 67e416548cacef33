import { ReactNode, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '../errorMessage';

/** What a confirmation asks: shown before anything changes. */
export type PendingAction = {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Does the change; its error is shown in the dialog, which stays open. */
  run: () => Promise<void>;
};

/**
 * Asks before a re-run or a cancel acts, shows progress
 * while it runs and the server's message when it is refused.
 */
export const ConfirmActionDialog = ({
  action,
  onClose,
}: {
  action?: PendingAction;
  onClose: () => void;
}) => {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const close = () => {
    setError(undefined);
    onClose();
  };
  const confirm = async () => {
    if (!action) return;
    setRunning(true);
    setError(undefined);
    try {
      await action.run();
      close();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open={Boolean(action)}
      onClose={running ? undefined : close}
      aria-labelledby="confirm-action-title"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="confirm-action-title">{action?.title}</DialogTitle>
      <DialogContent>
        {action?.body}
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      {running && <LinearProgress />}
      <DialogActions>
        <Button onClick={close} disabled={running}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={running}
        >
          {action?.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
