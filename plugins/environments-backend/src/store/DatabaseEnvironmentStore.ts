import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  DeployTarget,
  Environment,
  EnvironmentInput,
  EnvironmentPatch,
  EnvironmentTier,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { EnvironmentStore } from './EnvironmentStore';
import {
  isForeignKeyViolation,
  isUniqueViolation,
  toIso,
} from '@internal/platform-node';

/** A row of the environments table. */
export interface EnvironmentRow {
  name: string;
  title: string | null;
  description: string | null;
  tier: string;
  promotion_order: number;
  owner: string;
  target: string;
  protected: boolean | number;
  approvers: string | null;
  preview_component?: string | null;
  preview_pull_request_number?: number | null;
  preview_pull_request?: string | null;
  expires_at?: Date | string | null;
  teardown?: string | null;
  created_by: string;
  updated_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The environment a row holds, with its preview details when it is one. */
export function toEnvironment(row: EnvironmentRow): Environment {
  return {
    name: row.name,
    ...(row.title ? { title: row.title } : {}),
    ...(row.description ? { description: row.description } : {}),
    tier: row.tier as EnvironmentTier,
    promotionOrder: row.promotion_order,
    owner: row.owner,
    target: JSON.parse(row.target) as DeployTarget,
    protected: Boolean(row.protected),
    ...(row.approvers ? { approvers: JSON.parse(row.approvers) } : {}),
    ...(row.preview_component
      ? {
          preview: {
            component: row.preview_component,
            pullRequest: JSON.parse(row.preview_pull_request!),
            expiresAt: toIso(row.expires_at!),
            ...(row.teardown ? { teardown: JSON.parse(row.teardown) } : {}),
          },
        }
      : {}),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/** The columns for the fields that are set; absent fields stay as they are. */
export function toColumns(fields: EnvironmentPatch): Partial<EnvironmentRow> {
  const columns: Partial<EnvironmentRow> = {};
  if (fields.title !== undefined) columns.title = fields.title;
  if (fields.description !== undefined)
    columns.description = fields.description;
  if (fields.tier !== undefined) columns.tier = fields.tier;
  if (fields.promotionOrder !== undefined)
    columns.promotion_order = fields.promotionOrder;
  if (fields.owner !== undefined) columns.owner = fields.owner;
  if (fields.target !== undefined)
    columns.target = JSON.stringify(fields.target);
  if (fields.protected !== undefined) columns.protected = fields.protected;
  if (fields.approvers !== undefined)
    columns.approvers = JSON.stringify(fields.approvers);
  return columns;
}

/** Environments in the plugin's database, on SQLite or PostgreSQL. */
export class DatabaseEnvironmentStore implements EnvironmentStore {
  /** @param db - the plugin's database, migrated (createEnvironmentsStores). */
  constructor(private readonly db: Knex) {}

  async list(): Promise<Environment[]> {
    const rows = await this.db<EnvironmentRow>('environments')
      .select()
      .orderBy([{ column: 'promotion_order' }, { column: 'name' }]);
    return rows.map(toEnvironment);
  }

  async get(name: string): Promise<Environment> {
    return toEnvironment(await this.getRow(this.db, name));
  }

  async create(input: EnvironmentInput, actor: string): Promise<Environment> {
    const now = new Date();
    try {
      await this.db<EnvironmentRow>('environments').insert({
        name: input.name,
        title: null,
        description: null,
        approvers: null,
        ...toColumns(input),
        created_by: actor,
        updated_by: actor,
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `An environment named '${input.name}' already exists`,
        );
      }
      throw error;
    }
    return this.get(input.name);
  }

  async update(
    name: string,
    patch: EnvironmentPatch,
    actor: string,
  ): Promise<{ before: Environment; after: Environment }> {
    return this.db.transaction(async tx => {
      const before = toEnvironment(await this.getRow(tx, name, true));
      await tx<EnvironmentRow>('environments')
        .where({ name })
        .update({
          ...toColumns(patch),
          updated_by: actor,
          updated_at: new Date(),
        });
      const after = toEnvironment(await this.getRow(tx, name));
      return { before, after };
    });
  }

  async delete(name: string): Promise<Environment> {
    try {
      return await this.db.transaction(async tx => {
        const existing = toEnvironment(await this.getRow(tx, name, true));
        await tx('environments').where({ name }).delete();
        return existing;
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new ConflictError(
          `Environment '${name}' has deployments; its history is kept, so it cannot be deleted`,
        );
      }
      throw error;
    }
  }

  private async getRow(
    db: Knex | Knex.Transaction,
    name: string,
    forUpdate = false,
  ): Promise<EnvironmentRow> {
    let query = db<EnvironmentRow>('environments').where({ name }).first();
    if (forUpdate && db.client.config.client === 'pg') {
      query = query.forUpdate();
    }
    const row = await query;
    if (!row) {
      throw new NotFoundError(`No environment named '${name}'`);
    }
    return row;
  }
}
