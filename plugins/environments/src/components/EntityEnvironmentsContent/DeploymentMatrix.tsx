import { Table, TableColumn } from '@backstage/core-components';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import {
  Deployment,
  DeploymentHead,
  Environment,
} from '@internal/plugin-environments-common';
import { TierChip } from '../EnvironmentsPage/TierChip';
import { DeploymentStatus } from './DeploymentStatus';
import { age, shortDigest } from './format';

/** One row of the matrix: an environment and what the component has there. */
export type MatrixRow = {
  environment: Environment;
  head?: DeploymentHead;
  /** The environment a promotion from here goes to. */
  next?: Environment;
};

/** The actions a row offers; absent when the user may not take them. */
export type MatrixActions = {
  promote?: (row: MatrixRow, live: Deployment) => void;
  rollback?: (row: MatrixRow, live: Deployment) => void;
};

/**
 * The environments in promotion order, each with the next environment of the
 * path (previews are not on it), mirroring the backend's rule.
 */
export function matrixRows(
  environments: Environment[],
  heads: DeploymentHead[],
): MatrixRow[] {
  const path = environments
    .filter(e => e.tier !== 'preview')
    .sort((a, b) => a.promotionOrder - b.promotionOrder);
  return [...environments]
    .sort((a, b) => a.promotionOrder - b.promotionOrder)
    .map(environment => ({
      environment,
      head: heads.find(h => h.environment === environment.name),
      next:
        environment.tier === 'preview'
          ? undefined
          : path.find(e => e.promotionOrder > environment.promotionOrder),
    }));
}

const VersionCell = ({ deployment }: { deployment?: Deployment }) =>
  deployment ? (
    <>
      <Typography variant="body2">{deployment.version}</Typography>
      <Typography variant="caption" color="textSecondary">
        {shortDigest(deployment.artifact.digest)}
      </Typography>
    </>
  ) : (
    <Typography variant="body2" color="textSecondary">
      Not deployed
    </Typography>
  );

function columns(actions: MatrixActions): TableColumn<MatrixRow>[] {
  return [
    {
      title: 'Environment',
      render: ({ environment }) => (
        <>
          <Typography variant="body2">
            {environment.title ?? environment.name}
          </Typography>
          <TierChip tier={environment.tier} />
        </>
      ),
    },
    {
      title: 'Running',
      render: ({ head }) => <VersionCell deployment={head?.live} />,
    },
    {
      title: 'Latest deployment',
      render: ({ head }) =>
        head ? (
          <>
            <DeploymentStatus status={head.latest.status} />
            {head.latest.id !== head.live?.id && (
              <Typography variant="caption" display="block">
                {head.latest.version}
                {head.latest.message ? `: ${head.latest.message}` : ''}
              </Typography>
            )}
          </>
        ) : null,
    },
    {
      title: 'Age',
      render: ({ head }) =>
        head ? age(head.latest.finishedAt ?? head.latest.createdAt) : null,
    },
    { title: 'Deployer', render: ({ head }) => head?.latest.deployer ?? null },
    {
      title: 'Actions',
      render: row => {
        const live = row.head?.live;
        if (!live) return null;
        return (
          <Box display="flex" style={{ gap: 8 }}>
            {actions.promote && row.next && (
              <Button
                size="small"
                variant="outlined"
                color="primary"
                onClick={() => actions.promote!(row, live)}
              >
                Promote to {row.next.title ?? row.next.name}
              </Button>
            )}
            {actions.rollback && live.previousDeploymentId && (
              <Tooltip title="Deploy again the version this one replaced">
                <Button
                  size="small"
                  variant="outlined"
                  onClick={() => actions.rollback!(row, live)}
                >
                  Roll back
                </Button>
              </Tooltip>
            )}
          </Box>
        );
      },
    },
  ];
}

/** Environment × the version running there, its latest deployment and actions. */
export const DeploymentMatrix = ({
  rows,
  actions,
  toolbar,
}: {
  rows: MatrixRow[];
  actions: MatrixActions;
  toolbar?: React.ReactNode;
}) => (
  <Table<MatrixRow>
    title={
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography variant="h5">Deployed versions</Typography>
        {toolbar}
      </Box>
    }
    columns={columns(actions)}
    data={rows}
    options={{ paging: false, search: false, padding: 'dense' }}
  />
);
