import { useState } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, Grid, Typography } from '@material-ui/core';
import {
  Deployment,
  deploymentCreatePermission,
  DeploymentRequest,
  Promotion,
} from '@internal/plugin-environments-common';
import { environmentsApiRef } from '../../api';
import { ConfirmActionDialog, PendingAction } from '@internal/platform-react';
import { DeployDialog } from './DeployDialog';
import { DeploymentHistory } from './DeploymentHistory';
import { DeploymentMatrix, matrixRows, MatrixRow } from './DeploymentMatrix';
import { PendingPromotions } from './PendingPromotions';
import { useComponentDeployments } from './useComponentDeployments';

/**
 * The Environments tab of a component: which version runs in each
 * environment, deploy, promote, roll back and approve (each confirmed
 * first), promotions waiting for approval, and the history. It updates live
 * as the backend signals changes.
 */
export const EntityEnvironmentsContent = () => {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const component = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useComponentDeployments(component);
  // Deploy, promote and roll back share one rule: the component's owners
  // (and admins) outside protected environments.
  const { allowed: mayDeploy } = usePermission({
    permission: deploymentCreatePermission,
    resourceRef: component,
  });
  const [pending, setPending] = useState<PendingAction>();
  const [deploying, setDeploying] = useState(false);

  if (!value && loading) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  const { environments, current, history, promotions } = value!;
  if (environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No environments yet"
        description="Platform admins define environments first; then this tab shows which version of this component runs in each."
      />
    );
  }

  const done = (message: string) => {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    retry();
  };

  const deploy = async (request: DeploymentRequest) => {
    const d = await api.createDeployment(request);
    done(`Deploying ${d.version} to ${d.environment}`);
  };

  const promote = (row: MatrixRow, live: Deployment) =>
    setPending({
      title: `Promote ${live.version} to ${row.next!.title ?? row.next!.name}?`,
      body: (
        <Typography>
          The artifact running in {row.environment.name} ({live.artifact.image})
          is deployed to {row.next!.name}.
          {row.next!.protected &&
            ` ${
              row.next!.name
            } is protected: the promotion waits for an approver other than you.`}
        </Typography>
      ),
      confirmLabel: 'Promote',
      run: async () => {
        const p = await api.promote({
          component,
          from: row.environment.name,
          to: row.next!.name,
        });
        done(
          p.status === 'awaiting_approval'
            ? `Promotion of ${p.version} to ${p.to} waits for approval`
            : `Promoting ${p.version} to ${p.to}`,
        );
      },
    });

  const rollback = (row: MatrixRow, live: Deployment) => {
    const replaced = history.find(d => d.id === live.previousDeploymentId);
    setPending({
      title: `Roll back ${row.environment.title ?? row.environment.name}?`,
      body: (
        <Typography>
          {live.version} is replaced by the version it replaced
          {replaced ? `, ${replaced.version}` : ''}. The current deployment is
          marked rolled back once the rollback succeeds.
        </Typography>
      ),
      confirmLabel: 'Roll back',
      run: async () => {
        const d = await api.rollback({
          component,
          environment: row.environment.name,
        });
        done(`Rolling ${d.environment} back to ${d.version}`);
      },
    });
  };

  const approve = (promotion: Promotion) =>
    setPending({
      title: `Approve ${promotion.version} into ${promotion.to}?`,
      body: (
        <Typography>
          {promotion.requestedBy} asked to promote {promotion.version} from{' '}
          {promotion.from}. Approving deploys it to {promotion.to} now.
        </Typography>
      ),
      confirmLabel: 'Approve and deploy',
      run: async () => {
        const p = await api.approvePromotion(promotion.id);
        done(`Approved: deploying ${p.version} to ${p.to}`);
      },
    });

  const awaiting = promotions.filter(p => p.status === 'awaiting_approval');
  return (
    <Grid container spacing={3}>
      {awaiting.length > 0 && (
        <Grid item xs={12}>
          <PendingPromotions promotions={awaiting} onApprove={approve} />
        </Grid>
      )}
      <Grid item xs={12}>
        <DeploymentMatrix
          rows={matrixRows(environments, current)}
          actions={mayDeploy ? { promote, rollback } : {}}
          toolbar={
            mayDeploy && (
              <Button
                variant="contained"
                color="primary"
                size="small"
                onClick={() => setDeploying(true)}
              >
                Deploy
              </Button>
            )
          }
        />
      </Grid>
      <Grid item xs={12}>
        {history.length === 0 ? (
          <EmptyState
            missing="content"
            title="Not deployed anywhere yet"
            description={
              mayDeploy
                ? 'Deploy a built image with the Deploy button, or let a pipeline deploy the version it built.'
                : "A pipeline's deploy stage deploys the version it built; the component's owners can also deploy a built image here."
            }
          />
        ) : (
          <DeploymentHistory deployments={history} />
        )}
      </Grid>
      {deploying && (
        <DeployDialog
          open
          component={component}
          environments={environments}
          latest={history[0]}
          onDeploy={deploy}
          onClose={() => setDeploying(false)}
        />
      )}
      <ConfirmActionDialog
        action={pending}
        onClose={() => setPending(undefined)}
      />
    </Grid>
  );
};
