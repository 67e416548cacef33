import {
  Content,
  EmptyState,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Chip, IconButton, Tooltip, Typography } from '@material-ui/core';
import VariablesIcon from '@material-ui/icons/VpnKey';
import LockIcon from '@material-ui/icons/Lock';
import FreezeIcon from '@material-ui/icons/AcUnit';
import {
  DeploymentHead,
  ENVIRONMENTS_SIGNAL_CHANNEL,
  Environment,
  EnvironmentLock,
  EnvironmentsChangeSignal,
} from '@internal/plugin-environments-common';
import { useEachSignal } from '@internal/platform-react';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { TierChip } from './TierChip';
import { PreviewExpiry } from './PreviewExpiry';
import { VariablesDialog } from './VariablesDialog';
import { RunningComponents } from './RunningComponents';

function describeTarget(environment: Environment): string {
  const { target } = environment;
  if (target.type === 'kubernetes') {
    return `Kubernetes ${target.cluster} / ${target.namespacePattern}`;
  }
  return target.system ? `External (${target.system})` : 'External';
}

type Row = Environment & {
  locks: EnvironmentLock[];
  running: DeploymentHead[];
};

function LockChips({ locks }: { locks: EnvironmentLock[] }) {
  if (locks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Deployable
      </Typography>
    );
  }
  return (
    <>
      {locks.map(lock => (
        <Tooltip
          key={lock.id}
          title={`${lock.createdBy}${
            lock.expiresAt
              ? `, until ${new Date(lock.expiresAt).toLocaleString()}`
              : ', until released'
          }`}
        >
          <Chip
            icon={<FreezeIcon />}
            label={`Locked: ${lock.reason}`}
            size="small"
            color="secondary"
          />
        </Tooltip>
      ))}
    </>
  );
}

const columns = (
  onVariables: (environment: Environment) => void,
): TableColumn<Row>[] => [
  {
    title: 'Environment',
    field: 'name',
    highlight: true,
    render: env => (
      <>
        <Typography variant="body2">
          {env.title ?? env.name}
          <Tooltip title="Variables and secrets">
            <IconButton
              size="small"
              aria-label={`Variables of ${env.name}`}
              onClick={() => onVariables(env)}
            >
              <VariablesIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        </Typography>
        {env.title && (
          <Typography variant="caption" color="textSecondary" display="block">
            {env.name}
          </Typography>
        )}
        {env.protected && (
          <Tooltip title="Versions reach it by promotion, with an approval">
            <Chip icon={<LockIcon />} label="Protected" size="small" />
          </Tooltip>
        )}
      </>
    ),
  },
  {
    title: 'Tier',
    field: 'tier',
    lookup: {
      development: 'development',
      staging: 'staging',
      production: 'production',
      preview: 'preview',
    },
    render: env => <TierChip tier={env.tier} />,
  },
  {
    title: 'Promotion order',
    field: 'promotionOrder',
    type: 'numeric',
    filtering: false,
    defaultSort: 'asc',
    // The rows are in this order; the number itself takes room.
    hidden: true,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: env => <EntityRefLink entityRef={env.owner} defaultKind="group" />,
  },
  {
    title: 'Deploy target',
    filtering: false,
    customFilterAndSearch: (query: string, env) =>
      describeTarget(env).toLowerCase().includes(query.toLowerCase()),
    render: env => describeTarget(env),
  },
  {
    title: 'Locks',
    filtering: false,
    customFilterAndSearch: (query: string, env) =>
      env.locks.some(l => l.reason.toLowerCase().includes(query.toLowerCase())),
    render: env => <LockChips locks={env.locks} />,
  },
  {
    title: 'Running',
    filtering: false,
    sorting: false,
    customFilterAndSearch: (query: string, env) =>
      env.running.some(h =>
        h.component.toLowerCase().includes(query.toLowerCase()),
      ),
    render: env => <RunningComponents heads={env.running} />,
  },
  {
    title: 'Expires',
    filtering: false,
    // Previews by expiry first; environments without a TTL last.
    customSort: (a, b) =>
      (a.preview?.expiresAt ?? '\uffff').localeCompare(
        b.preview?.expiresAt ?? '\uffff',
      ),
    customFilterAndSearch: (query: string, env) =>
      Boolean(
        env.preview &&
          `pr #${env.preview.pullRequest.number} ${
            env.preview.pullRequest.branch ?? ''
          }`
            .toLowerCase()
            .includes(query.toLowerCase()),
      ),
    render: env => <PreviewExpiry environment={env} />,
  },
];

/**
 * Every environment, in promotion order, with its tier, owner, target, locks
 * and, for previews, the pull request and when it expires; each with its
 * variables.
 */
export const EnvironmentsPage = () => {
  const api = useApi(environmentsApiRef);
  const [variablesOf, setVariablesOf] = useState<Environment>();
  const tableColumns = useMemo(() => columns(setVariablesOf), []);
  const { value, loading, error, retry } = useAsyncRetry(async (): Promise<
    Row[]
  > => {
    const [environments, locks] = await Promise.all([
      api.listEnvironments(),
      api.listActiveLocks(),
    ]);
    const running = await Promise.all(
      environments.map(env =>
        api.listCurrentDeployments({ environment: env.name }),
      ),
    );
    return environments.map((env, i) => ({
      ...env,
      locks: locks.filter(l => l.environment === env.name),
      running: running[i],
    }));
  }, [api]);

  // What runs where changes with every deployment: read again on each
  // signal, once per signal.
  useEachSignal<EnvironmentsChangeSignal>(ENVIRONMENTS_SIGNAL_CHANNEL, () =>
    retry(),
  );

  let body;
  if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!loading && value?.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No environments yet"
        description="Platform admins define environments: a tier, a promotion order, an owner group and where deployments go. Create the first one with the “Create an environment” template under Create…; it appears here at once."
      />
    );
  } else {
    body = (
      <Table<Row>
        title={`Environments${value ? ` (${value.length})` : ''}`}
        isLoading={loading && !value}
        columns={tableColumns}
        data={value ?? []}
        options={{
          paging: false,
          filtering: true,
          search: true,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Environments"
        subtitle="Where components run, and the path a version takes to production"
      />
      <Content>
        {body}
        {variablesOf && (
          <VariablesDialog
            environment={variablesOf}
            onClose={() => setVariablesOf(undefined)}
          />
        )}
      </Content>
    </Page>
  );
};
