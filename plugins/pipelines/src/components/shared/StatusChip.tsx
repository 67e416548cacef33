import { Chip, makeStyles } from '@material-ui/core';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Error from '@material-ui/icons/Error';
import Cancel from '@material-ui/icons/Cancel';
import Schedule from '@material-ui/icons/Schedule';
import Autorenew from '@material-ui/icons/Autorenew';
import RemoveCircleOutline from '@material-ui/icons/RemoveCircleOutline';
import RadioButtonUnchecked from '@material-ui/icons/RadioButtonUnchecked';

const colours: Record<string, string> = {
  queued: '#757575',
  pending: '#9e9e9e',
  running: '#1976d2',
  succeeded: '#2e7d32',
  failed: '#c62828',
  cancelled: '#6d4c41',
  skipped: '#9e9e9e',
};

const labels: Record<string, string> = {
  queued: 'Queued',
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

const useStyles = makeStyles({
  '@keyframes spin': {
    from: { transform: 'rotate(0deg)' },
    to: { transform: 'rotate(360deg)' },
  },
  spinning: { animation: '$spin 1.5s linear infinite' },
});

/** The colour a run's or step's status is shown in. */
export function statusColour(status: string): string {
  return colours[status] ?? '#757575';
}

/** `Succeeded`, `Failed`, ... */
export function statusLabel(status: string): string {
  return labels[status] ?? status;
}

/** A run's or step's status as an icon in its colour. */
export const StatusIcon = ({
  status,
  fontSize = 'small',
}: {
  status: string;
  fontSize?: 'small' | 'inherit' | 'default';
}) => {
  const classes = useStyles();
  const style = { color: statusColour(status) };
  const props = { style, fontSize, titleAccess: statusLabel(status) };
  switch (status) {
    case 'succeeded':
      return <CheckCircle {...props} />;
    case 'failed':
      return <Error {...props} />;
    case 'cancelled':
      return <Cancel {...props} />;
    case 'running':
      return <Autorenew {...props} className={classes.spinning} />;
    case 'queued':
      return <Schedule {...props} />;
    case 'skipped':
      return <RemoveCircleOutline {...props} />;
    default:
      return <RadioButtonUnchecked {...props} />;
  }
};

/** A run's or step's status as a chip in its colour. */
export const StatusChip = ({ status }: { status: string }) => (
  <Chip
    size="small"
    label={statusLabel(status)}
    icon={<StatusIcon status={status} fontSize="small" />}
    style={{
      color: statusColour(status),
      borderColor: statusColour(status),
      backgroundColor: 'transparent',
    }}
    variant="outlined"
  />
);
