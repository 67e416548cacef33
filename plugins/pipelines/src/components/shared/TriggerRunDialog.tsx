import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  LinearProgress,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { PipelineRunView } from '@internal/plugin-pipelines-common';
import { errorMessage } from '../errorMessage';

/**
 * Asks for the branch (and optionally the commit) of a manual run, starts
 * it, and shows the server's message when it is refused.
 */
export const TriggerRunDialog = ({
  component,
  defaultBranch,
  onTrigger,
  onClose,
}: {
  component: string;
  defaultBranch?: string;
  onTrigger: (request: {
    component: string;
    branch: string;
    commit?: string;
  }) => Promise<PipelineRunView>;
  onClose: (run?: PipelineRunView) => void;
}) => {
  const [branch, setBranch] = useState(defaultBranch ?? 'main');
  const [commit, setCommit] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async () => {
    setRunning(true);
    setError(undefined);
    try {
      const run = await onTrigger({
        component,
        branch: branch.trim(),
        ...(commit.trim() ? { commit: commit.trim() } : {}),
      });
      onClose(run);
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open
      onClose={running ? undefined : () => onClose()}
      aria-labelledby="trigger-run-title"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="trigger-run-title">Run pipeline</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Runs the pipeline of {component} (its `.platform/pipeline.yaml`, or
          the default pipeline of its type) on a branch of its repository.
        </DialogContentText>
        <TextField
          id="trigger-run-branch"
          label="Branch"
          value={branch}
          onChange={e => setBranch(e.target.value)}
          fullWidth
          required
          margin="dense"
          helperText="Without refs/heads/"
        />
        <TextField
          id="trigger-run-commit"
          label="Commit (optional)"
          value={commit}
          onChange={e => setCommit(e.target.value)}
          fullWidth
          margin="dense"
          helperText="The full commit id; empty runs the tip of the branch"
        />
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      {running && <LinearProgress />}
      <DialogActions>
        <Button onClick={() => onClose()} disabled={running}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={running || !branch.trim()}
        >
          Run
        </Button>
      </DialogActions>
    </Dialog>
  );
};
