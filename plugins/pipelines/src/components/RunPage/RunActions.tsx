import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Typography } from '@material-ui/core';
import Replay from '@material-ui/icons/Replay';
import Stop from '@material-ui/icons/Stop';
import {
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
  PipelineRunView,
} from '@internal/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api';
import { ConfirmActionDialog, PendingAction } from '@internal/platform-react';
import { isFinal } from '../shared/format';

/**
 * Re-run (all steps, or only those that did not succeed) once a run has
 * ended, Cancel while it is queued or running; each shown to those the
 * permission allows on the run's component, and confirmed first.
 */
export const RunActions = ({
  run,
  onChanged,
}: {
  run: PipelineRunView;
  onChanged: (run: PipelineRunView) => void;
}) => {
  const api = useApi(pipelinesApiRef);
  const alertApi = useApi(alertApiRef);
  const { allowed: mayRerun } = usePermission({
    permission: pipelinesRunRerunPermission,
    resourceRef: run.component,
  });
  const { allowed: mayCancel } = usePermission({
    permission: pipelinesRunCancelPermission,
    resourceRef: run.component,
  });
  const [pending, setPending] = useState<PendingAction>();
  const final = isFinal(run.status);

  const done = (after: PipelineRunView, message: string) => {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    onChanged(after);
  };

  const rerun = (failedOnly: boolean) =>
    setPending({
      title: failedOnly
        ? `Re-run the failed steps of run #${run.number}?`
        : `Re-run run #${run.number}?`,
      body: (
        <Typography>
          {failedOnly
            ? `Attempt ${
                run.attempt + 1
              } runs again what did not succeed in attempt ${
                run.attempt
              }; the steps that succeeded keep their results and outputs.`
            : `Attempt ${
                run.attempt + 1
              } runs every step again, at the same commit.`}{' '}
          The logs of attempt {run.attempt} are kept.
        </Typography>
      ),
      confirmLabel: failedOnly ? 'Re-run failed steps' : 'Re-run all',
      run: async () => {
        const after = await api.rerunRun(run.id, { failedOnly });
        done(
          after,
          `Run #${after.number} queued again (attempt ${after.attempt})`,
        );
      },
    });

  const cancel = () =>
    setPending({
      title: `Cancel run #${run.number}?`,
      body: (
        <Typography>
          {run.status === 'queued'
            ? 'The run ends before it starts.'
            : 'The running steps are stopped and the run ends as cancelled. Deployments a deploy stage already asked for go on in their environments.'}
        </Typography>
      ),
      confirmLabel: 'Cancel run',
      run: async () => {
        const after = await api.cancelRun(run.id);
        // A running run is marked and its steps stopped by the replica
        // running it: the answer may still say running.
        done(
          after,
          isFinal(after.status)
            ? `Run #${after.number} cancelled`
            : `Cancelling run #${after.number}: its steps are being stopped`,
        );
      },
    });

  const failedSome = run.status === 'failed' || run.status === 'cancelled';
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {mayCancel && !final && (
        <Button variant="outlined" startIcon={<Stop />} onClick={cancel}>
          Cancel
        </Button>
      )}
      {mayRerun && final && failedSome && (
        <Button
          variant="outlined"
          startIcon={<Replay />}
          onClick={() => rerun(true)}
        >
          Re-run failed steps
        </Button>
      )}
      {mayRerun && final && (
        <Button
          variant="contained"
          color="primary"
          startIcon={<Replay />}
          onClick={() => rerun(false)}
        >
          Re-run all
        </Button>
      )}
      <ConfirmActionDialog
        action={pending}
        onClose={() => setPending(undefined)}
      />
    </Box>
  );
};
