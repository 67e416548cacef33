import { NotFoundError } from '@backstage/errors';
import {
  PipelineRunFilter,
  RunStatus,
} from '@internal/plugin-pipelines-common';
import { isUniqueViolation } from '@internal/platform-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { inChunks } from './inChunks';
import { insertNumberedRun } from './runNumbers';
import { NewRun, RunQueueStore, RunRecord } from './RunQueueStore';
import { getRunRow, RunRow, StepRunRow, toRun } from './runRows';

/**
 * The first key of the PostgreSQL advisory locks run claims take per
 * component (the second is the component's hash), so they meet no other
 * plugin's advisory locks.
 */
const CLAIM_LOCK_SPACE = 0x706c7275; // "plru"

/** How many of the oldest queued runs one claim looks at. */
const CLAIM_CANDIDATES = 20;

const ACTIVE: RunStatus[] = ['queued', 'running'];

/**
 * The run queue in the `runs` table, on SQLite or PostgreSQL; failing an
 * expired run and re-running failed steps also write its step runs.
 *
 * Claims are exclusive across replicas: a run moves from `queued` to
 * `running` with a conditional UPDATE (`WHERE status = 'queued'`), so of two
 * engines racing for one run exactly one changes the row. The holder keeps
 * a lease (`lease_expires_at`) that it renews while the run executes; every
 * later write by the holder is conditional on `claimed_by`, so an engine
 * that lost its lease cannot overwrite the run.
 */
export class DatabaseRunQueueStore implements RunQueueStore {
  constructor(private readonly db: Knex) {}

  async enqueue(
    run: NewRun,
    now = new Date(),
  ): Promise<{ run: RunRecord; created: boolean }> {
    const id = randomUUID();
    try {
      await insertNumberedRun(this.db, {
        id,
        component: run.component,
        component_type: run.componentType ?? null,
        repository: run.repository ?? null,
        clone_url: run.cloneUrl ?? null,
        ref: run.ref ?? null,
        branch: run.branch ?? null,
        commit_sha: run.commit ?? null,
        default_branch: run.defaultBranch ?? null,
        trigger: JSON.stringify(run.trigger),
        delivery_id: run.deliveryId ?? null,
        status: 'queued',
        attempt: 1,
        rerun_failed_only: false,
        created_at: now,
      });
    } catch (error) {
      if (run.deliveryId !== undefined && isUniqueViolation(error)) {
        const existing = await this.db<RunRow>('runs')
          .where({ delivery_id: run.deliveryId, component: run.component })
          .first();
        if (existing) return { run: toRun(existing), created: false };
      }
      throw error;
    }
    return { run: await this.get(id), created: true };
  }

  async get(id: string): Promise<RunRecord> {
    return toRun(await getRunRow(this.db, id));
  }

  async find(id: string): Promise<RunRecord | undefined> {
    const row = await this.db<RunRow>('runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async list(
    filter: PipelineRunFilter & { limit: number },
  ): Promise<RunRecord[]> {
    const query = this.db<RunRow>('runs');
    if (filter.component) query.where({ component: filter.component });
    if (filter.status) query.where({ status: filter.status });
    if (filter.branch) query.where({ branch: filter.branch });
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset ?? 0);
    return rows.map(toRun);
  }

  async listByIds(ids: string[]): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const part of inChunks([...new Set(ids)])) {
      const rows = await this.db<RunRow>('runs').whereIn('id', part);
      runs.push(...rows.map(toRun));
    }
    return runs;
  }

  async listFinished(filter: {
    components: string[];
    status: 'succeeded' | 'failed' | 'cancelled';
    from: Date;
    to: Date;
  }): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const part of inChunks([...new Set(filter.components)])) {
      const rows = await this.db<RunRow>('runs')
        .whereIn('component', part)
        .where({ status: filter.status })
        .where('finished_at', '>=', filter.from)
        .where('finished_at', '<', filter.to)
        .orderBy([
          { column: 'finished_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      runs.push(...rows.map(toRun));
    }
    return runs;
  }

  async listSuperseded(run: RunRecord): Promise<RunRecord[]> {
    if (!run.branch) return [];
    const rows = await this.db<RunRow>('runs')
      .where({ component: run.component, branch: run.branch })
      .whereIn('status', ACTIVE)
      .whereNot({ id: run.id })
      .where('created_at', '<=', new Date(run.createdAt));
    return rows.map(toRun);
  }

  async claimNext(options: {
    owner: string;
    leaseMs: number;
    perComponentLimit: number;
    now?: Date;
  }): Promise<RunRecord | undefined> {
    const now = options.now ?? new Date();
    const candidates = await this.db<RunRow>('runs')
      .where({ status: 'queued' })
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(CLAIM_CANDIDATES)
      .select('id', 'component');
    for (const candidate of candidates) {
      const changed = await this.db.transaction(async (tx): Promise<number> => {
        if (this.db.client.config.client === 'pg') {
          // Under read committed, two claims of different runs of one
          // component could each count the running runs before the other
          // committed and together exceed the limit; claims of one component
          // take turns instead (the lock ends with the transaction).
          await tx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [
            CLAIM_LOCK_SPACE,
            candidate.component,
          ]);
        }
        return await tx('runs')
          .where({ id: candidate.id, status: 'queued' })
          .andWhere(
            tx.raw(
              '(select count(*) from runs r where r.component = ? and r.status = ?) < ?',
              [candidate.component, 'running', options.perComponentLimit],
            ),
          )
          .update({
            status: 'running',
            claimed_by: options.owner,
            lease_expires_at: new Date(now.getTime() + options.leaseMs),
            started_at: now,
            reason: null,
          });
      });
      if (changed === 1) return this.get(candidate.id);
    }
    return undefined;
  }

  async renewLease(
    id: string,
    owner: string,
    leaseMs: number,
    now = new Date(),
  ): Promise<boolean> {
    const changed = await this.db('runs')
      .where({ id, claimed_by: owner, status: 'running' })
      .update({ lease_expires_at: new Date(now.getTime() + leaseMs) });
    return changed === 1;
  }

  async finish(
    id: string,
    owner: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    reason?: string,
    now = new Date(),
  ): Promise<boolean> {
    const changed = await this.db('runs')
      .where({ id, claimed_by: owner, status: 'running' })
      .update({
        status,
        reason: reason ?? null,
        finished_at: now,
        claimed_by: null,
        lease_expires_at: null,
      });
    return changed === 1;
  }

  async requestCancel(
    id: string,
    reason: string,
    now = new Date(),
  ): Promise<RunRecord> {
    await this.db('runs')
      .where({ id, status: 'queued' })
      .update({ status: 'cancelled', reason, finished_at: now });
    await this.db('runs')
      .where({ id, status: 'running' })
      .whereNull('cancel_reason')
      .update({ cancel_reason: reason });
    return this.get(id);
  }

  async failExpired(reason: string, now = new Date()): Promise<string[]> {
    const expired = await this.db<RunRow>('runs')
      .where({ status: 'running' })
      .where('lease_expires_at', '<', now)
      .select('id', 'claimed_by');
    const failed: string[] = [];
    for (const row of expired) {
      const changed = await this.db('runs')
        .where({ id: row.id, status: 'running', claimed_by: row.claimed_by })
        .where('lease_expires_at', '<', now)
        .update({
          status: 'failed',
          reason,
          finished_at: now,
          claimed_by: null,
          lease_expires_at: null,
        });
      if (changed === 1) {
        // The steps it was running end with it: no engine runs them now.
        await this.db('step_runs')
          .where({ run_id: row.id })
          .whereIn('status', ['running', 'pending'])
          .update({
            status: 'failed',
            reason,
            waiting_for: null,
            finished_at: now,
          });
        failed.push(row.id);
      }
    }
    return failed;
  }

  async rerun(
    id: string,
    failedOnly: boolean,
    now = new Date(),
  ): Promise<RunRecord | undefined> {
    // One transaction: the new attempt is never queued without the steps
    // it takes over, which an engine claiming it at once would run again.
    return this.db.transaction(async tx => {
      const row = await tx<RunRow>('runs').where({ id }).first();
      if (!row) throw new NotFoundError(`no run '${id}'`);
      if (ACTIVE.includes(row.status as RunStatus)) return undefined;
      const attempt = Number(row.attempt) + 1;
      const changed = await tx('runs')
        .where({ id, attempt: row.attempt })
        .whereNotIn('status', ACTIVE)
        .update({
          status: 'queued',
          attempt,
          rerun_failed_only: failedOnly,
          reason: null,
          cancel_reason: null,
          started_at: null,
          finished_at: null,
          created_at: now,
        });
      if (changed !== 1) return undefined;
      if (failedOnly) {
        const succeeded = await tx<StepRunRow>('step_runs').where({
          run_id: id,
          attempt: row.attempt,
          status: 'succeeded',
        });
        for (const step of succeeded) {
          await tx('step_runs').insert({
            run_id: id,
            attempt,
            stage: step.stage,
            step: step.step,
            status: 'succeeded',
            tries: step.tries,
            exit_code: step.exit_code,
            outputs: step.outputs,
            reused: true,
            started_at: step.started_at,
            finished_at: step.finished_at,
          });
        }
      }
      return toRun((await tx<RunRow>('runs').where({ id }).first())!);
    });
  }
}
