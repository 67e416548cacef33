import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid, Typography } from '@material-ui/core';
import { Deployment, Environment } from '@internal/plugin-environments-common';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { TierChip } from '../EnvironmentsPage/TierChip';
import { DeploymentStatus } from './DeploymentStatus';

type MatrixRow = { environment: Environment; latest?: Deployment };

const age = (iso: string) => DateTime.fromISO(iso).toRelative() ?? iso;
const shortDigest = (digest: string) =>
  digest.replace('sha256:', '').slice(0, 12);

function duration(deployment: Deployment): string {
  if (!deployment.finishedAt) return '—';
  const seconds = Math.round(
    DateTime.fromISO(deployment.finishedAt)
      .diff(DateTime.fromISO(deployment.createdAt))
      .as('seconds'),
  );
  return seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const matrixColumns: TableColumn<MatrixRow>[] = [
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
    title: 'Version',
    render: ({ latest }) =>
      latest ? (
        <>
          <Typography variant="body2">{latest.version}</Typography>
          <Typography variant="caption" color="textSecondary">
            {shortDigest(latest.artifact.digest)}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Not deployed
        </Typography>
      ),
  },
  {
    title: 'Status',
    render: ({ latest }) =>
      latest ? <DeploymentStatus status={latest.status} /> : null,
  },
  {
    title: 'Age',
    render: ({ latest }) =>
      latest ? age(latest.finishedAt ?? latest.createdAt) : null,
  },
  {
    title: 'Deployer',
    render: ({ latest }) => latest?.deployer ?? null,
  },
];

function describeTrigger(deployment: Deployment): string {
  const { trigger } = deployment;
  if (trigger.type === 'user') return trigger.user;
  if (trigger.type === 'pipeline') return `pipeline run ${trigger.pipelineRun}`;
  return trigger.service;
}

const historyColumns: TableColumn<Deployment>[] = [
  { title: 'Version', field: 'version', highlight: true },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Status',
    field: 'status',
    render: d => <DeploymentStatus status={d.status} />,
  },
  { title: 'Triggered by', render: d => describeTrigger(d) },
  { title: 'Started', render: d => age(d.createdAt) },
  {
    title: 'Duration',
    render: d => duration(d),
  },
  { title: 'Message', field: 'message' },
];

/**
 * The Environments tab of a component: which version runs in each
 * environment, and the history of its deployments.
 */
export const EntityEnvironmentsContent = () => {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const component = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(async () => {
    const [environments, deployments] = await Promise.all([
      api.listEnvironments(),
      api.listDeployments({ component, limit: 200 }),
    ]);
    return { environments, deployments };
  }, [api, component]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const { environments, deployments } = value!;
  if (environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No environments yet"
        description="Platform admins define environments first; then this tab shows which version of this component runs in each."
      />
    );
  }
  // Deployments come newest first: the first per environment is the latest.
  const rows: MatrixRow[] = environments.map(environment => ({
    environment,
    latest: deployments.find(d => d.environment === environment.name),
  }));

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Table<MatrixRow>
          title="Deployed versions"
          columns={matrixColumns}
          data={rows}
          options={{ paging: false, search: false, padding: 'dense' }}
        />
      </Grid>
      <Grid item xs={12}>
        {deployments.length === 0 ? (
          <EmptyState
            missing="content"
            title="Not deployed anywhere yet"
            description="A pipeline's deploy stage deploys the version it built; owners can also deploy a built image with POST /api/environments/deployments."
          />
        ) : (
          <Table<Deployment>
            title="Deployment history"
            columns={historyColumns}
            data={deployments}
            options={{ paging: true, pageSize: 10, padding: 'dense' }}
          />
        )}
      </Grid>
    </Grid>
  );
};
