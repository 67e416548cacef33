import { useState } from 'react';
import { DialogContentText, TextField } from '@material-ui/core';
import { ActionDialog } from '@internal/platform-react';
import { PipelineRunView } from '@internal/plugin-pipelines-common';

/**
 * Asks for the branch (empty: the repository's default branch, which the
 * backend knows) and optionally the commit of a manual run, starts it, and
 * shows the server's message when it is refused.
 */
export const TriggerRunDialog = ({
  component,
  onTrigger,
  onClose,
}: {
  component: string;
  onTrigger: (request: {
    component: string;
    branch?: string;
    commit?: string;
  }) => Promise<PipelineRunView>;
  onClose: (run?: PipelineRunView) => void;
}) => {
  const [branch, setBranch] = useState('');
  const [commit, setCommit] = useState('');

  const submit = async () => {
    const run = await onTrigger({
      component,
      ...(branch.trim() ? { branch: branch.trim() } : {}),
      ...(commit.trim() ? { commit: commit.trim() } : {}),
    });
    onClose(run);
  };

  return (
    <ActionDialog
      open
      title="Run pipeline"
      confirmLabel="Run"
      onConfirm={submit}
      onClose={() => onClose()}
    >
      <DialogContentText>
        Runs the pipeline of {component} (its `.platform/pipeline.yaml`, or the
        default pipeline of its type) on a branch of its repository.
      </DialogContentText>
      <TextField
        id="trigger-run-branch"
        label="Branch"
        value={branch}
        onChange={e => setBranch(e.target.value)}
        fullWidth
        margin="dense"
        placeholder="the default branch"
        helperText="Without refs/heads/; empty runs the repository's default branch"
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
    </ActionDialog>
  );
};
