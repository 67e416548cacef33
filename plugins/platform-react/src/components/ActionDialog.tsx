import { ReactNode, useId, useState } from 'react';
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

/**
 * Properties of {@link ActionDialog}.
 *
 * @public
 */
export type ActionDialogProps = {
  open: boolean;
  title: ReactNode;
  /** The label of the button that acts. */
  confirmLabel: ReactNode;
  /** Keeps the button that acts disabled, e.g. while a required field is empty. */
  confirmDisabled?: boolean;
  /**
   * Does the action. It closes the dialog itself when done (so it can hand on
   * what the action returned, or stay open when a form check fails); when it
   * throws, the error is shown in the dialog, which stays open.
   */
  onConfirm: () => Promise<void>;
  /** Called on Cancel, Escape or a click outside; not while the action runs. */
  onClose: () => void;
  /** What the dialog asks or the form it holds. */
  children?: ReactNode;
};

/**
 * A dialog that runs an action against the backend: Cancel and a confirm
 * button, progress while the action runs (when it cannot be closed), and the
 * backend's own message (see {@link errorMessage}) when it refuses.
 *
 * @public
 */
export function ActionDialog(props: ActionDialogProps) {
  const {
    open,
    title,
    confirmLabel,
    confirmDisabled,
    onConfirm,
    onClose,
    children,
  } = props;
  const titleId = useId();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  // The dialog may stay mounted while closed: an old refusal must not greet
  // the next action.
  const close = () => {
    setError(undefined);
    onClose();
  };
  const confirm = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={running ? undefined : close}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {children}
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
          disabled={running || confirmDisabled}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
