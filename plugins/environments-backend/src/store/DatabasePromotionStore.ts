import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  Promotion,
  PromotionStatus,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { toIso } from '@internal/platform-node';
import { PromotionStore } from './PromotionStore';

interface PromotionRow {
  id: string;
  component: string;
  from_environment: string;
  to_environment: string;
  version: string;
  image: string;
  digest: string;
  source_deployment_id: string;
  status: PromotionStatus;
  requested_by: string;
  created_at: Date | string;
  approved_by: string | null;
  approved_at: Date | string | null;
  deployment_id: string | null;
}

function toPromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    component: row.component,
    from: row.from_environment,
    to: row.to_environment,
    version: row.version,
    artifact: { image: row.image, digest: row.digest },
    sourceDeploymentId: row.source_deployment_id,
    status: row.status,
    requestedBy: row.requested_by,
    createdAt: toIso(row.created_at),
    ...(row.approved_by ? { approvedBy: row.approved_by } : {}),
    ...(row.approved_at ? { approvedAt: toIso(row.approved_at) } : {}),
    ...(row.deployment_id ? { deploymentId: row.deployment_id } : {}),
  };
}

/** Promotions, in the plugin's database. */
export class DatabasePromotionStore implements PromotionStore {
  constructor(private readonly db: Knex) {}

  /** A promotion awaiting approval, or one already deployed. */
  async create(options: {
    source: Deployment;
    to: string;
    requestedBy: string;
    deploymentId?: string;
  }): Promise<Promotion> {
    const id = randomUUID();
    const { source } = options;
    await this.db<PromotionRow>('promotions').insert({
      id,
      component: source.component,
      from_environment: source.environment,
      to_environment: options.to,
      version: source.version,
      image: source.artifact.image,
      digest: source.artifact.digest,
      source_deployment_id: source.id,
      status: options.deploymentId ? 'deployed' : 'awaiting_approval',
      requested_by: options.requestedBy,
      created_at: new Date(),
      approved_by: null,
      approved_at: null,
      deployment_id: options.deploymentId ?? null,
    });
    return this.get(id);
  }

  async get(id: string): Promise<Promotion> {
    const row = await this.db<PromotionRow>('promotions').where({ id }).first();
    if (!row) throw new NotFoundError(`No promotion with id '${id}'`);
    return toPromotion(row);
  }

  async list(component?: string): Promise<Promotion[]> {
    const query = this.db<PromotionRow>('promotions')
      .orderBy('created_at', 'desc')
      .limit(200);
    if (component) query.where({ component });
    return (await query).map(toPromotion);
  }

  /**
   * Records the deployment a promotion started. Only a promotion still
   * awaiting approval moves on, so two approvers racing deploy once.
   */
  async markDeployed(
    id: string,
    deploymentId: string,
    approvedBy?: string,
  ): Promise<Promotion> {
    const updated = await this.db<PromotionRow>('promotions')
      .where({ id, status: 'awaiting_approval' })
      .update({
        status: 'deployed',
        deployment_id: deploymentId,
        ...(approvedBy
          ? { approved_by: approvedBy, approved_at: new Date() }
          : {}),
      });
    if (updated === 0) {
      throw new ConflictError(`Promotion ${id} is no longer awaiting approval`);
    }
    return this.get(id);
  }
}
