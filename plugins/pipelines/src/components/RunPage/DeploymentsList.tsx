import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { PipelineStepRunView } from '@internal/plugin-pipelines-common';
import { StatusIcon } from '../shared/StatusChip';

const PREFIX = 'deployment_';

/** A deployment a deploy stage asked the Environments plugin for. */
export type StageDeployment = {
  stage: string;
  environment: string;
  deploymentId: string;
  /** Succeeded, or for the last one the stage's status. */
  status: string;
};

/**
 * The deployments of a run's deploy stages, from their step outputs
 * (`deployment_<environment>`: the deployment's id).
 */
export function deploymentsOf(steps: PipelineStepRunView[]): StageDeployment[] {
  return steps.flatMap(step => {
    const ids = Object.entries(step.outputs).filter(([key]) =>
      key.startsWith(PREFIX),
    );
    // The stage goes on to the next environment only once a deployment
    // succeeded, so only the last one can be anything else.
    return ids.map(([key, id], i) => ({
      stage: step.stage,
      environment: key.slice(PREFIX.length),
      deploymentId: id,
      status: i < ids.length - 1 ? 'succeeded' : step.status,
    }));
  });
}

/**
 * The environments a run deployed to, each linking to the component's
 * Environments tab where the deployment's progress and history are.
 */
export const DeploymentsList = ({
  component,
  deployments,
}: {
  component: string;
  deployments: StageDeployment[];
}) => {
  const entityRoute = useRouteRef(entityRouteRef);
  const ref = parseEntityRef(component);
  const environmentsTab = `${entityRoute({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace.toLocaleLowerCase('en-US'),
    name: ref.name,
  })}/environments`;
  return (
    <InfoCard
      title="Deployments"
      deepLink={{ title: 'Environments tab', link: environmentsTab }}
    >
      <List dense disablePadding>
        {deployments.map(d => (
          <ListItem key={`${d.stage}/${d.environment}`} disableGutters>
            <ListItemIcon style={{ minWidth: 32 }}>
              <StatusIcon status={d.status} />
            </ListItemIcon>
            <ListItemText
              primary={<Link to={environmentsTab}>{d.environment}</Link>}
              secondary={
                <Typography variant="caption" color="textSecondary">
                  stage {d.stage} · deployment {d.deploymentId}
                </Typography>
              }
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
};
