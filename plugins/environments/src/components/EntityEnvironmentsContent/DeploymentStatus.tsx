import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { DeploymentStatus as Status } from '@internal/plugin-environments-common';

const labels: Record<Status, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  rolled_back: 'Rolled back',
};

/** A deployment's status with Backstage's status colours. */
export const DeploymentStatus = ({ status }: { status: Status }) => {
  const label = labels[status];
  switch (status) {
    case 'succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'in_progress':
      return <StatusRunning>{label}</StatusRunning>;
    case 'rolled_back':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
