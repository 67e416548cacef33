import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  stringifyError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  Deployment,
  DeploymentRequest,
  DeploymentStatusReport,
  DeploymentTrigger,
  Environment,
  RollbackRequest,
  ENVIRONMENTS_TOPIC,
  ServiceEventType,
} from '@internal/plugin-environments-common';
import { Deployer } from '@internal/plugin-environments-node';
import { serviceEvent } from '../events/cdevents';
import { DeploymentStore } from '../store/DeploymentStore';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { LockStore } from '../store/LockStore';
import { VariableStore } from '../store/VariableStore';
import type { PreviewService } from './PreviewService';
import { EnvironmentsActivity } from './activity';

/**
 * Deploys: checks what the request names exists, records the deployment,
 * hands it to the deployer of the environment's target, and turns reports
 * into status changes and CDEvents.
 */
export class DeploymentService {
  constructor(
    private readonly options: {
      environments: EnvironmentStore;
      deployments: DeploymentStore;
      deployers: Map<string, Deployer>;
      locks: LockStore;
      variables: VariableStore;
      /** Deployments into a preview extend its expiry. */
      previews?: PreviewService;
      catalog: CatalogService;
      events: EventsService;
      activity: EnvironmentsActivity;
      logger: LoggerService;
    },
  ) {}

  /** The environment and the catalog entity a request names, or a 404. */
  async resolveTarget(
    request: DeploymentRequest,
    credentials: BackstageCredentials,
  ): Promise<Environment> {
    const environment = await this.options.environments.get(
      request.environment,
    );
    const component = await this.options.catalog.getEntityByRef(
      request.component,
      { credentials },
    );
    if (!component) {
      throw new NotFoundError(
        `No component ${request.component} in the catalog`,
      );
    }
    return environment;
  }

  /** Records the deployment and starts its deployer without waiting for it. */
  async deploy(
    request: DeploymentRequest,
    environment: Environment,
    trigger: DeploymentTrigger,
    rollbackOf?: string,
  ): Promise<Deployment> {
    const deployer = this.options.deployers.get(environment.target.type);
    if (!deployer) {
      throw new ServiceUnavailableError(
        `No deployer is installed for '${environment.target.type}' targets, which environment '${environment.name}' uses`,
      );
    }
    const [lock] = await this.options.locks.active(environment.name);
    if (lock) {
      const until = lock.expiresAt ? ` until ${lock.expiresAt}` : '';
      throw new ConflictError(
        `Environment '${environment.name}' is locked by ${lock.createdBy}${until}: ${lock.reason}`,
      );
    }
    // Read (and decrypt) before anything is recorded: a secret that cannot
    // be decrypted fails the request and leaves no pending deployment behind.
    const variables = await this.options.variables.resolve(environment.name);
    await this.options.previews?.recordActivity(environment);
    const deployment = await this.options.deployments.create({
      component: request.component,
      environment: environment.name,
      version: request.version,
      artifact: request.artifact,
      trigger,
      deployer: deployer.targetType,
      rollbackOf,
    });
    await this.options.activity.deploymentChanged(deployment);
    const reporter = {
      report: (r: DeploymentStatusReport) =>
        this.report(deployment.id, r).then(() => {}),
    };
    deployer
      .deploy({ deployment, environment, variables }, reporter)
      .catch(async error => {
        this.options.logger.error(
          `Deployer '${deployer.targetType}' broke on deployment ${deployment.id}`,
          error,
        );
        await this.report(deployment.id, {
          status: 'failed',
          message: `The ${
            deployer.targetType
          } deployer failed: ${stringifyError(error)}`,
        }).catch(reportError => {
          // A conflict means it had already finished: the deployer reported
          // its outcome before it broke. Anything else is logged.
          if (!(reportError instanceof ConflictError)) {
            this.options.logger.error(
              `Could not mark deployment ${deployment.id} failed`,
              reportError,
            );
          }
        });
      });
    return deployment;
  }

  /**
   * Rolls a component back in an environment: deploys again the artifact of
   * an earlier succeeded deployment (by default the one the current
   * deployment replaced). The current one becomes rolled back once the
   * rollback succeeds.
   */
  async rollback(
    request: RollbackRequest,
    trigger: DeploymentTrigger,
  ): Promise<Deployment> {
    const { deployments, environments } = this.options;
    const environment = await environments.get(request.environment);
    const [current] = await deployments.list({
      component: request.component,
      environment: environment.name,
      limit: 1,
    });
    const targetId = request.to ?? current?.previousDeploymentId;
    if (!current || !targetId) {
      throw new ConflictError(
        `Nothing to roll back to: ${request.component} has no earlier succeeded deployment in '${environment.name}'`,
      );
    }
    const target = await deployments.get(targetId);
    if (
      target.component !== request.component ||
      target.environment !== environment.name ||
      target.status !== 'succeeded' ||
      target.id === current.id
    ) {
      throw new ConflictError(
        `Deployment ${target.id} is not an earlier succeeded deployment of ${request.component} in '${environment.name}'`,
      );
    }
    return this.deploy(
      {
        component: request.component,
        environment: environment.name,
        version: target.version,
        artifact: target.artifact,
      },
      environment,
      trigger,
      current.id,
    );
  }

  /** Applies a status report and announces a finished deployment. */
  async report(
    id: string,
    report: DeploymentStatusReport,
  ): Promise<Deployment> {
    const deployment = await this.options.deployments.report(id, report);
    await this.options.activity.deploymentChanged(deployment);
    if (deployment.status === 'succeeded') {
      let type: ServiceEventType = deployment.previousDeploymentId
        ? 'upgraded'
        : 'deployed';
      if (deployment.rollbackOf) {
        await this.options.deployments.markRolledBack(deployment.rollbackOf);
        type = 'rolledback';
      }
      await this.options.events
        .publish({
          topic: ENVIRONMENTS_TOPIC,
          eventPayload: serviceEvent(type, deployment),
        })
        .catch(error =>
          this.options.logger.error(
            `Could not publish service.${type} for deployment ${id}`,
            error,
          ),
        );
    }
    return deployment;
  }
}
