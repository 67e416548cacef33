import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  Environment,
  Promotion,
  PromotionRequest,
} from '@internal/plugin-environments-common';
import { DeploymentStore } from '../store/DeploymentStore';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { PromotionStore } from '../store/PromotionStore';
import { DeploymentService } from './DeploymentService';
import { EnvironmentsActivity } from './activity';

/**
 * Carries the version deployed in one environment into the next, through the
 * gates: the source deployment succeeded, the promotion follows the path, the
 * target is not locked, and a protected target has an approval.
 */
export class PromotionService {
  constructor(
    private readonly options: {
      environments: EnvironmentStore;
      deployments: DeploymentStore;
      promotions: PromotionStore;
      deploymentService: DeploymentService;
      activity: EnvironmentsActivity;
    },
  ) {}

  /** The environment after `from` on the promotion path (previews excluded). */
  async nextEnvironment(from: Environment): Promise<Environment> {
    const next = (await this.options.environments.list()).find(
      env => env.tier !== 'preview' && env.promotionOrder > from.promotionOrder,
    );
    if (!next) {
      throw new ConflictError(
        `'${from.name}' is the last environment of the promotion path`,
      );
    }
    return next;
  }

  /**
   * Promotes, or records a promotion awaiting approval when the target is
   * protected.
   */
  async promote(
    request: PromotionRequest,
    requestedBy: string,
  ): Promise<Promotion> {
    const { environments, deployments, promotions, deploymentService } =
      this.options;
    const from = await environments.get(request.from);
    const [source] = await deployments.list({
      component: request.component,
      environment: from.name,
      limit: 1,
    });
    if (!source || source.status !== 'succeeded') {
      throw new ConflictError(
        `Only a succeeded deployment is promoted: the latest deployment of ${
          request.component
        } to '${from.name}' ${
          source ? `is ${source.status}` : 'does not exist'
        }`,
      );
    }
    const to = await this.nextEnvironment(from);
    if (request.to && request.to !== to.name) {
      throw new ConflictError(
        `Promotion out of order: after '${from.name}' comes '${to.name}', not '${request.to}'`,
      );
    }
    if (to.protected) {
      const awaiting = await promotions.create({
        source,
        to: to.name,
        requestedBy,
      });
      await this.options.activity.promotionChanged(awaiting, to);
      return awaiting;
    }
    const deployment = await deploymentService.deploy(
      {
        component: source.component,
        environment: to.name,
        version: source.version,
        artifact: source.artifact,
      },
      to,
      { type: 'user', user: requestedBy },
    );
    const promotion = await promotions.create({
      source,
      to: to.name,
      requestedBy,
      deploymentId: deployment.id,
    });
    await this.options.activity.promotionChanged(promotion, to);
    return promotion;
  }

  /** Approves a promotion into a protected environment and deploys it. */
  async approve(
    id: string,
    approver: { userEntityRef: string; ownershipEntityRefs: string[] },
  ): Promise<Promotion> {
    const { environments, promotions, deploymentService } = this.options;
    const promotion = await promotions.get(id);
    if (promotion.status !== 'awaiting_approval') {
      throw new ConflictError(`Promotion ${id} is already ${promotion.status}`);
    }
    const to = await environments.get(promotion.to);
    const approvers = to.approvers ?? [to.owner];
    if (approver.userEntityRef === promotion.requestedBy) {
      throw new NotAllowedError(
        'You requested this promotion; someone else from the approvers must approve it',
      );
    }
    const claims = approver.ownershipEntityRefs.map(r => r.toLowerCase());
    if (!approvers.some(group => claims.includes(group.toLowerCase()))) {
      throw new NotAllowedError(
        `Only members of ${approvers.join(', ')} approve promotions into '${
          to.name
        }'`,
      );
    }
    const deployment = await deploymentService.deploy(
      {
        component: promotion.component,
        environment: to.name,
        version: promotion.version,
        artifact: promotion.artifact,
      },
      to,
      { type: 'user', user: approver.userEntityRef },
    );
    const approved = await promotions.markDeployed(
      id,
      deployment.id,
      approver.userEntityRef,
    );
    await this.options.activity.promotionChanged(approved, to);
    return approved;
  }
}
