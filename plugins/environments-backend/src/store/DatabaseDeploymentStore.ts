import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  DeploymentHead,
  DeploymentStatus,
  DeploymentStatusReport,
  DeploymentTrigger,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, toIso } from '@internal/platform-node';
import { DeploymentStore, NewDeployment } from './DeploymentStore';

interface DeploymentRow {
  id: string;
  component: string;
  environment: string;
  version: string;
  image: string;
  digest: string;
  status: DeploymentStatus;
  message: string | null;
  trigger: string;
  deployer: string;
  previous_deployment_id: string | null;
  rollback_of: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    component: row.component,
    environment: row.environment,
    version: row.version,
    artifact: { image: row.image, digest: row.digest },
    status: row.status,
    ...(row.message ? { message: row.message } : {}),
    trigger: JSON.parse(row.trigger) as DeploymentTrigger,
    deployer: row.deployer,
    ...(row.previous_deployment_id
      ? { previousDeploymentId: row.previous_deployment_id }
      : {}),
    ...(row.rollback_of ? { rollbackOf: row.rollback_of } : {}),
    createdAt: toIso(row.created_at),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
  };
}

interface DeploymentHeadRow {
  component: string;
  environment: string;
  latest_deployment_id: string;
  live_deployment_id: string | null;
}

/** Deployments in the plugin's database (migrations run by the environment store). */
export class DatabaseDeploymentStore implements DeploymentStore {
  constructor(private readonly db: Knex) {}

  async create(input: NewDeployment): Promise<Deployment> {
    const id = randomUUID();
    try {
      await this.db.transaction(async tx => {
        const previous = await tx<DeploymentRow>('deployments')
          .where({
            component: input.component,
            environment: input.environment,
            status: 'succeeded',
          })
          .orderBy('created_at', 'desc')
          .first('id');
        await tx<DeploymentRow>('deployments').insert({
          id,
          component: input.component,
          environment: input.environment,
          version: input.version,
          image: input.artifact.image,
          digest: input.artifact.digest,
          status: 'pending',
          message: null,
          trigger: JSON.stringify(input.trigger),
          deployer: input.deployer,
          previous_deployment_id: previous?.id ?? null,
          rollback_of: input.rollbackOf ?? null,
          created_at: new Date(),
          started_at: null,
          finished_at: null,
        });
        await tx('deployment_heads')
          .insert({
            component: input.component,
            environment: input.environment,
            latest_deployment_id: id,
            live_deployment_id: previous?.id ?? null,
          })
          .onConflict(['component', 'environment'])
          .merge(['latest_deployment_id']);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A deployment of ${input.component} to ${input.environment} is already in progress`,
        );
      }
      throw error;
    }
    return this.get(id);
  }

  async get(id: string): Promise<Deployment> {
    const row = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .first();
    if (!row) throw new NotFoundError(`No deployment with id '${id}'`);
    return toDeployment(row);
  }

  async report(
    id: string,
    report: DeploymentStatusReport,
  ): Promise<Deployment> {
    const current = await this.get(id);
    if (TERMINAL_DEPLOYMENT_STATUSES.includes(current.status)) {
      throw new ConflictError(
        `Deployment ${id} already ${current.status}; it cannot become ${report.status}`,
      );
    }
    const now = new Date();
    const terminal = TERMINAL_DEPLOYMENT_STATUSES.includes(report.status);
    const updated = await this.db.transaction(async tx => {
      // Conditional on the status read above, so two reports racing cannot
      // both move it on.
      const count = await tx<DeploymentRow>('deployments')
        .where({ id, status: current.status })
        .update({
          status: report.status,
          message: report.message ?? null,
          ...(current.startedAt ? {} : { started_at: now }),
          ...(terminal ? { finished_at: now } : {}),
        });
      if (count > 0 && report.status === 'succeeded') {
        await tx('deployment_heads')
          .where({
            component: current.component,
            environment: current.environment,
          })
          .update({ live_deployment_id: id });
      }
      return count;
    });
    if (updated === 0) {
      throw new ConflictError(
        `Deployment ${id} changed while reporting; read it again`,
      );
    }
    return this.get(id);
  }

  async markRolledBack(id: string): Promise<void> {
    await this.db<DeploymentRow>('deployments')
      .where({ id, status: 'succeeded' })
      .update({ status: 'rolled_back' });
  }

  async current(filter: {
    component?: string;
    environment?: string;
  }): Promise<DeploymentHead[]> {
    const heads = this.db<DeploymentHeadRow>('deployment_heads').select();
    if (filter.component) heads.where({ component: filter.component });
    if (filter.environment) heads.where({ environment: filter.environment });
    const headRows = await heads.orderBy(['component', 'environment']);
    if (headRows.length === 0) return [];
    // The ids come from a subquery rather than a bound list, so an
    // environment with thousands of components stays one round trip. One
    // UNION ALL rather than `IN (latest) OR IN (live)`: PostgreSQL plans the
    // OR as a scan of every deployment (bench/environments measured 119 ms
    // for a component's matrix against 1 ms for primary-key lookups).
    const headsMatching = (q: Knex.QueryBuilder) => {
      if (filter.component) q.where({ component: filter.component });
      if (filter.environment) q.where({ environment: filter.environment });
      return q;
    };
    const ids = headsMatching(
      this.db('deployment_heads').select('latest_deployment_id as id'),
    ).unionAll(
      headsMatching(
        this.db('deployment_heads')
          .select('live_deployment_id as id')
          .whereNotNull('live_deployment_id'),
      ),
    );
    const rows = await this.db<DeploymentRow>('deployments')
      .select()
      .whereIn('id', ids);
    const byId = new Map(rows.map(row => [row.id, toDeployment(row)]));
    return headRows.map(head => {
      const latest = byId.get(head.latest_deployment_id)!;
      const live = head.live_deployment_id
        ? byId.get(head.live_deployment_id)
        : undefined;
      return {
        component: head.component,
        environment: head.environment,
        latest,
        ...(live ? { live } : {}),
      };
    });
  }

  async list(filter: {
    component?: string;
    environment?: string;
    limit?: number;
  }): Promise<Deployment[]> {
    const query = this.db<DeploymentRow>('deployments')
      .select()
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 100);
    if (filter.component) query.where({ component: filter.component });
    if (filter.environment) query.where({ environment: filter.environment });
    return (await query).map(toDeployment);
  }
}
