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
} from '@internal/plugin-environments-common';
import { Deployer } from '@internal/plugin-environments-node';
import { ENVIRONMENTS_TOPIC, serviceEvent } from '../events/cdevents';
import { DeploymentStore } from '../store/DeploymentStore';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { DatabaseLockStore } from '../store/DatabaseLockStore';

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
      locks: DatabaseLockStore;
      catalog: CatalogService;
      events: EventsService;
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
    const deployment = await this.options.deployments.create({
      component: request.component,
      environment: environment.name,
      version: request.version,
      artifact: request.artifact,
      trigger,
      deployer: deployer.targetType,
    });
    const reporter = {
      report: (r: DeploymentStatusReport) =>
        this.report(deployment.id, r).then(() => {}),
    };
    deployer
      .deploy({ deployment, environment }, reporter)
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
        }).catch(() => {
          // Already finished: the deployer reported before it broke.
        });
      });
    return deployment;
  }

  /** Applies a status report and announces a finished deployment. */
  async report(
    id: string,
    report: DeploymentStatusReport,
  ): Promise<Deployment> {
    const deployment = await this.options.deployments.report(id, report);
    if (deployment.status === 'succeeded') {
      const type = deployment.previousDeploymentId ? 'upgraded' : 'deployed';
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
