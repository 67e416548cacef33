import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Environment,
  EnvironmentInput,
  PreviewTeardown,
  PullRequest,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '@internal/platform-node';
import {
  EnvironmentRow,
  toColumns,
  toEnvironment,
} from './DatabaseEnvironmentStore';
import { PreviewStore } from './PreviewStore';

/** Preview environments in the environments table of the plugin's database. */
export class DatabasePreviewStore implements PreviewStore {
  constructor(private readonly db: Knex) {}

  /** The preview of a component's pull request, if there is one. */
  async find(
    component: string,
    pullRequestNumber: number,
  ): Promise<Environment | undefined> {
    const row = await this.db<EnvironmentRow>('environments')
      .where({
        preview_component: component,
        preview_pull_request_number: pullRequestNumber,
      })
      .first();
    return row ? toEnvironment(row) : undefined;
  }

  /**
   * Creates a preview environment, or returns the one that exists for the
   * same component and pull request (e.g. created by another replica a
   * moment ago).
   * @throws ConflictError when the name is taken by another environment.
   */
  async create(
    input: EnvironmentInput,
    preview: { component: string; pullRequest: PullRequest; expiresAt: Date },
    actor: string,
  ): Promise<{ environment: Environment; created: boolean }> {
    const now = new Date();
    try {
      await this.db<EnvironmentRow>('environments').insert({
        name: input.name,
        title: null,
        description: null,
        approvers: null,
        ...toColumns(input),
        preview_component: preview.component,
        preview_pull_request_number: preview.pullRequest.number,
        preview_pull_request: JSON.stringify(preview.pullRequest),
        expires_at: preview.expiresAt,
        teardown: null,
        created_by: actor,
        updated_by: actor,
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.find(
        preview.component,
        preview.pullRequest.number,
      );
      if (existing) return { environment: existing, created: false };
      throw new ConflictError(
        `An environment named '${input.name}' already exists`,
      );
    }
    return { environment: await this.get(input.name), created: true };
  }

  /**
   * Moves the expiry to `expiresAt` unless it is already later, and records
   * newer pull request details when given.
   * @throws ConflictError when its tear-down has begun.
   */
  async extend(
    name: string,
    expiresAt: Date,
    pullRequest?: PullRequest,
  ): Promise<Environment> {
    const current = await this.get(name);
    this.assertNotTornDown(current);
    const untouched = (q: Knex.QueryBuilder) =>
      q.where({ name }).whereNull('teardown');
    if (pullRequest) {
      await untouched(this.db('environments')).update({
        preview_pull_request: JSON.stringify(pullRequest),
      });
    }
    await untouched(this.db('environments'))
      .where('expires_at', '<', expiresAt)
      .update({ expires_at: expiresAt });
    const after = await this.get(name);
    // A tear-down that began between the read and the update wins.
    this.assertNotTornDown(after);
    return after;
  }

  /** Previews past their expiry, and those whose tear-down is to be retried. */
  async due(now: Date): Promise<Environment[]> {
    const rows = await this.db<EnvironmentRow>('environments')
      .whereNotNull('preview_component')
      .where(q => q.where('expires_at', '<=', now).orWhereNotNull('teardown'))
      .orderBy('expires_at');
    return rows.map(toEnvironment);
  }

  /**
   * Records the tear-down's progress, provided nobody else changed it since
   * `previous` was read: two tear-downs of one preview do not run at once.
   * @returns what was written, to pass as `previous` next time.
   * @throws ConflictError when another tear-down changed it meanwhile.
   */
  async saveTeardown(
    name: string,
    teardown: PreviewTeardown,
    previous: PreviewTeardown | undefined,
  ): Promise<PreviewTeardown> {
    const query = this.db<EnvironmentRow>('environments').where({ name });
    if (previous) query.where({ teardown: JSON.stringify(previous) });
    else query.whereNull('teardown');
    const updated = await query.update({ teardown: JSON.stringify(teardown) });
    if (updated === 0) {
      throw new ConflictError(
        `Preview environment '${name}' is being torn down by another request`,
      );
    }
    return teardown;
  }

  /**
   * The deployments recorded in the environment so far, and every component
   * they deployed.
   */
  async deploymentsIn(
    name: string,
  ): Promise<{ ids: string[]; components: string[] }> {
    const rows: Array<{ id: string; component: string }> = await this.db(
      'deployments',
    )
      .where({ environment: name })
      .select('id', 'component');
    return {
      ids: rows.map(r => r.id),
      components: [...new Set(rows.map(r => r.component))].sort(),
    };
  }

  /**
   * Deletes the preview with its deployment history, locks and variables,
   * all or nothing.
   * @throws ConflictError when it holds a deployment other than `known` (the
   *   ones whose components were removed): it arrived during the tear-down
   *   and its workload may still run.
   */
  async delete(name: string, known: string[]): Promise<Environment> {
    return this.db.transaction(async tx => {
      let query = tx<EnvironmentRow>('environments').where({ name }).first();
      if (tx.client.config.client === 'pg') query = query.forUpdate();
      const row = await query;
      if (!row) throw new NotFoundError(`No environment named '${name}'`);
      const late = await tx('deployments')
        .where({ environment: name })
        .whereNotIn('id', known)
        .first('id', 'component');
      if (late) {
        throw new ConflictError(
          `A deployment of ${late.component} into preview '${name}' arrived during its tear-down; the next attempt removes it too`,
        );
      }
      await tx('deployments').where({ environment: name }).delete();
      await tx('environments').where({ name }).delete();
      return toEnvironment(row);
    });
  }

  private async get(name: string): Promise<Environment> {
    const row = await this.db<EnvironmentRow>('environments')
      .where({ name })
      .first();
    if (!row) throw new NotFoundError(`No environment named '${name}'`);
    return toEnvironment(row);
  }

  private assertNotTornDown(environment: Environment) {
    if (environment.preview?.teardown) {
      throw new ConflictError(
        `Preview environment '${environment.name}' is being torn down`,
      );
    }
  }
}
