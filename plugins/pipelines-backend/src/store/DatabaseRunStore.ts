import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Artifact,
  RunStatus,
  RunTrigger,
} from '@internal/plugin-pipelines-common';
import { PipelineWorkspace } from '@internal/plugin-pipelines-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, toIso } from '@internal/platform-node';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-pipelines-backend',
  'migrations',
);

type Timestamp = Date | string | number;

/** A stage of the definition a run loaded, for drawing the run. */
export type RunStageOutline = {
  name: string;
  type: 'steps' | 'image' | 'deploy';
  needs: string[];
  /** Its steps with the steps of the stage they need; image and deploy stages have one step of their own name. */
  steps: Array<{ name: string; needs: string[] }>;
};

/**
 * The first key of the PostgreSQL advisory locks run claims take per
 * component (the second is the component's hash), so they meet no other
 * plugin's advisory locks.
 */
const CLAIM_LOCK_SPACE = 0x706c7275; // "plru"

/** What is needed to queue a run. */
export type NewRun = {
  component: string;
  /** The component's `spec.type`, for the default pipeline. */
  componentType?: string;
  repository?: string;
  cloneUrl?: string;
  ref?: string;
  branch?: string;
  commit?: string;
  /** The repository's default branch, when the delivery named it. */
  defaultBranch?: string;
  trigger: RunTrigger;
  /** The delivery it comes from: one run per delivery and component. */
  deliveryId?: number;
};

/** A run as the engine keeps it. */
export type RunRecord = {
  id: string;
  component: string;
  /** Counts the runs of the component, from 1. */
  number: number;
  componentType?: string;
  repository?: string;
  cloneUrl?: string;
  ref?: string;
  branch?: string;
  commit?: string;
  defaultBranch?: string;
  trigger: RunTrigger;
  deliveryId?: number;
  status: RunStatus;
  reason?: string;
  attempt: number;
  /** The current attempt re-runs only what did not succeed before. */
  rerunFailedOnly: boolean;
  /** Set when someone asked to cancel the run while it was running. */
  cancelReason?: string;
  claimedBy?: string;
  leaseExpiresAt?: string;
  definitionSource?: string;
  /** The stages of the definition the current attempt loaded. */
  stages?: RunStageOutline[];
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
};

/** Where a step run is. */
export type StepRunStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/** One step of one attempt of a run. */
export type StepRunRecord = {
  id: number;
  runId: string;
  attempt: number;
  stage: string;
  step: string;
  status: StepRunStatus;
  /** How many times it was started in this attempt (1 + retries used). */
  tries: number;
  exitCode?: number;
  reason?: string;
  outputs: Record<string, string>;
  /** Taken over from the attempt before by a re-run of failed steps. */
  reused: boolean;
  startedAt?: string;
  finishedAt?: string;
};

/** A workspace an executor prepared for a run and was not released yet. */
export type StoredWorkspace = {
  runId: string;
  /** The run's status when it was read. */
  status: RunStatus;
  workspace: PipelineWorkspace;
};

/** A chunk of a step's log. */
export type StepLogChunk = {
  seq: number;
  stream: string;
  text: string;
  at: string;
};

interface RunRow {
  id: string;
  component: string;
  number: number | null;
  component_type: string | null;
  repository: string | null;
  clone_url: string | null;
  ref: string | null;
  branch: string | null;
  commit_sha: string | null;
  default_branch: string | null;
  trigger: string;
  delivery_id: number | null;
  status: string;
  reason: string | null;
  attempt: number;
  rerun_failed_only: boolean | number;
  cancel_reason: string | null;
  claimed_by: string | null;
  lease_expires_at: Timestamp | null;
  definition_source: string | null;
  stages: string | null;
  workspace: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

interface StepRunRow {
  id: number;
  run_id: string;
  attempt: number;
  stage: string;
  step: string;
  status: string;
  tries: number;
  exit_code: number | null;
  reason: string | null;
  outputs: string | null;
  reused: boolean | number;
  log_count: number;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    component: row.component,
    number: Number(row.number ?? 0),
    ...(row.component_type ? { componentType: row.component_type } : {}),
    ...(row.repository ? { repository: row.repository } : {}),
    ...(row.clone_url ? { cloneUrl: row.clone_url } : {}),
    ...(row.ref ? { ref: row.ref } : {}),
    ...(row.branch ? { branch: row.branch } : {}),
    ...(row.commit_sha ? { commit: row.commit_sha } : {}),
    ...(row.default_branch ? { defaultBranch: row.default_branch } : {}),
    trigger: JSON.parse(row.trigger),
    ...(row.delivery_id !== null
      ? { deliveryId: Number(row.delivery_id) }
      : {}),
    status: row.status as RunStatus,
    ...(row.reason ? { reason: row.reason } : {}),
    attempt: Number(row.attempt),
    rerunFailedOnly: Boolean(row.rerun_failed_only),
    ...(row.cancel_reason ? { cancelReason: row.cancel_reason } : {}),
    ...(row.claimed_by ? { claimedBy: row.claimed_by } : {}),
    ...(row.lease_expires_at
      ? { leaseExpiresAt: toIso(row.lease_expires_at) }
      : {}),
    ...(row.definition_source
      ? { definitionSource: row.definition_source }
      : {}),
    ...(row.stages ? { stages: JSON.parse(row.stages) } : {}),
    createdAt: toIso(row.created_at),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
  };
}

interface ArtifactRow {
  id: number;
  run_id: string;
  attempt: number;
  stage: string;
  type: string;
  reference: string;
  digest: string;
  tags: string;
  created_at: Timestamp;
}

/** An artifact a stage of one attempt of a run produced. */
export type ArtifactRecord = Artifact & {
  runId: string;
  attempt: number;
};

function toArtifact(row: ArtifactRow): ArtifactRecord {
  return {
    runId: row.run_id,
    attempt: Number(row.attempt),
    type: row.type as Artifact['type'],
    stage: row.stage,
    image: row.reference,
    tags: JSON.parse(row.tags),
    digest: row.digest,
    createdAt: toIso(row.created_at),
  };
}

/** A stored workspace, or undefined when the value is not one. */
function parseWorkspace(value: string): PipelineWorkspace | undefined {
  try {
    const workspace = JSON.parse(value);
    return typeof workspace?.id === 'string' &&
      typeof workspace?.executor === 'string'
      ? workspace
      : undefined;
  } catch {
    return undefined;
  }
}

function toStepRun(row: StepRunRow): StepRunRecord {
  return {
    id: Number(row.id),
    runId: row.run_id,
    attempt: Number(row.attempt),
    stage: row.stage,
    step: row.step,
    status: row.status as StepRunStatus,
    tries: Number(row.tries),
    ...(row.exit_code !== null ? { exitCode: Number(row.exit_code) } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    outputs: row.outputs ? JSON.parse(row.outputs) : {},
    reused: Boolean(row.reused),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
  };
}

const ACTIVE: RunStatus[] = ['queued', 'running'];

/**
 * The durable run queue, step runs and logs, on SQLite or PostgreSQL.
 *
 * Claims are exclusive across replicas: a run moves from `queued` to
 * `running` with a conditional UPDATE (`WHERE status = 'queued'`), so of two
 * engines racing for one run exactly one changes the row. The holder keeps
 * a lease (`lease_expires_at`) that it renews while the run executes; every
 * later write by the holder is conditional on `claimed_by`, so an engine
 * that lost its lease cannot overwrite the run.
 */
export class DatabaseRunStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRunStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseRunStore(knex);
  }

  constructor(private readonly db: Knex) {}

  /**
   * Queues a run. A second run for the same delivery and component is not
   * created: the existing one is returned with `created: false`.
   */
  async enqueue(
    run: NewRun,
    now = new Date(),
  ): Promise<{ run: RunRecord; created: boolean }> {
    const id = randomUUID();
    try {
      await this.insertNumbered(id, {
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

  /**
   * Inserts a run with the component's next number. Two inserts racing for
   * a number meet the unique index; the loser takes the next one.
   */
  private async insertNumbered(
    id: string,
    row: Record<string, unknown> & { component: string },
  ): Promise<void> {
    for (let tries = 0; ; tries++) {
      const last = await this.db('runs')
        .where({ component: row.component })
        .max({ number: 'number' })
        .first();
      try {
        await this.db('runs').insert({
          id,
          ...row,
          number: Number(last?.number ?? 0) + 1,
        });
        return;
      } catch (error) {
        const numberTaken =
          isUniqueViolation(error) &&
          /number/.test(String((error as Error).message)) &&
          tries < 10;
        if (!numberTaken) throw error;
      }
    }
  }

  async get(id: string): Promise<RunRecord> {
    const row = await this.db<RunRow>('runs').where({ id }).first();
    if (!row) throw new NotFoundError(`no run '${id}'`);
    return toRun(row);
  }

  async find(id: string): Promise<RunRecord | undefined> {
    const row = await this.db<RunRow>('runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  /**
   * Claims the oldest queued run whose component has fewer than
   * `perComponentLimit` runs running. Resolves undefined when there is none
   * (or another engine took each candidate first).
   */
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
      .limit(20)
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

  /**
   * Extends the holder's lease. False when the run is no longer the
   * holder's or no longer running: the holder must stop working on it.
   */
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

  /** Ends a run the caller holds. False when it no longer holds it. */
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

  /** Records where the running run's definition came from, and its stages. */
  async setDefinition(
    id: string,
    source: string,
    stages: RunStageOutline[],
  ): Promise<void> {
    await this.db('runs')
      .where({ id })
      .update({ definition_source: source, stages: JSON.stringify(stages) });
  }

  /**
   * The default branch the component's latest webhook-started run was told,
   * for runs started by hand (which no webhook describes).
   */
  async lastKnownDefaultBranch(component: string): Promise<string | undefined> {
    const row = await this.db<RunRow>('runs')
      .where({ component })
      .whereNotNull('default_branch')
      .orderBy('created_at', 'desc')
      .select('default_branch')
      .first();
    return row?.default_branch ?? undefined;
  }

  /**
   * Records the commit a run's checkout resolved its branch to, for runs
   * started without one (by hand): what it built, and what a re-run builds
   * again. A commit once recorded never changes.
   */
  async setCommit(id: string, commit: string): Promise<void> {
    await this.db('runs')
      .where({ id })
      .whereNull('commit_sha')
      .update({ commit_sha: commit });
  }

  /**
   * Keeps the workspace an executor prepared for the run until
   * {@link DatabaseRunStore.clearWorkspace}, so that it is released even if
   * the engine holding the run dies first.
   */
  async setWorkspace(id: string, workspace: PipelineWorkspace): Promise<void> {
    await this.db('runs')
      .where({ id })
      .update({ workspace: JSON.stringify(workspace) });
  }

  /**
   * Forgets a run's workspace once it was released. Only that workspace: a
   * later attempt's workspace stored meanwhile stays.
   */
  async clearWorkspace(
    id: string,
    workspace: PipelineWorkspace,
  ): Promise<void> {
    const row = await this.db<RunRow>('runs').where({ id }).first('workspace');
    if (!row?.workspace) return;
    const stored = parseWorkspace(row.workspace);
    if (
      stored &&
      (stored.id !== workspace.id || stored.executor !== workspace.executor)
    ) {
      return;
    }
    await this.db('runs')
      .where({ id, workspace: row.workspace })
      .update({ workspace: null });
  }

  /**
   * The workspaces not released yet of the given runs, or, without ids, of
   * every run no engine runs (a running run's workspace is its holder's).
   * A value that is not a workspace is left out and cleared.
   */
  async listWorkspaces(runIds?: string[]): Promise<StoredWorkspace[]> {
    const query = this.db<RunRow>('runs').whereNotNull('workspace');
    if (runIds) {
      if (runIds.length === 0) return [];
      query.whereIn('id', runIds);
    } else {
      query.whereNot({ status: 'running' });
    }
    const rows = await query
      .orderBy('id', 'asc')
      .select('id', 'status', 'workspace');
    const stored: StoredWorkspace[] = [];
    for (const row of rows) {
      const workspace = parseWorkspace(row.workspace!);
      if (workspace) {
        stored.push({
          runId: row.id,
          status: row.status as RunStatus,
          workspace,
        });
      } else {
        await this.db('runs')
          .where({ id: row.id, workspace: row.workspace })
          .update({ workspace: null });
      }
    }
    return stored;
  }

  /**
   * Cancels a run: a queued one at once; a running one is marked, and its
   * holder stops it (it reads the mark when it renews its lease). Returns
   * the run as it is afterwards; a finished run is left as it is.
   */
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

  /**
   * The queued or running runs of a component's branch other than `exceptId`
   * and created before it: what a newer push supersedes.
   */
  async listSuperseded(run: RunRecord): Promise<RunRecord[]> {
    if (!run.branch) return [];
    const rows = await this.db<RunRow>('runs')
      .where({ component: run.component, branch: run.branch })
      .whereIn('status', ACTIVE)
      .whereNot({ id: run.id })
      .where('created_at', '<=', new Date(run.createdAt));
    return rows.map(toRun);
  }

  /**
   * Runs held by an engine whose lease ran out (it died or lost the
   * database) are failed with `reason`, with their running steps; the ids
   * are returned.
   */
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
        await this.db('step_runs')
          .where({ run_id: row.id })
          .whereIn('status', ['running', 'pending'])
          .update({ status: 'failed', reason, finished_at: now });
        failed.push(row.id);
      }
    }
    return failed;
  }

  /**
   * Queues a finished run again as its next attempt. With `failedOnly`, the
   * steps that succeeded in the attempt before are taken over (status and
   * outputs) and not run again.
   */
  async rerun(
    id: string,
    failedOnly: boolean,
    now = new Date(),
  ): Promise<RunRecord | undefined> {
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

  async list(filter: {
    component?: string;
    status?: RunStatus;
    branch?: string;
    limit: number;
    offset?: number;
  }): Promise<RunRecord[]> {
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

  /** The step runs of an attempt (the current one by default). */
  async listSteps(runId: string, attempt?: number): Promise<StepRunRecord[]> {
    const run = await this.get(runId);
    const rows = await this.db<StepRunRow>('step_runs')
      .where({ run_id: runId, attempt: attempt ?? run.attempt })
      .orderBy('id', 'asc');
    return rows.map(toStepRun);
  }

  /** Creates the step run of an attempt, or returns the one there is. */
  async startStep(options: {
    runId: string;
    attempt: number;
    stage: string;
    step: string;
    now?: Date;
  }): Promise<StepRunRecord> {
    const key = {
      run_id: options.runId,
      attempt: options.attempt,
      step: options.step,
    };
    const existing = await this.db<StepRunRow>('step_runs').where(key).first();
    if (existing) {
      await this.db('step_runs')
        .where({ id: existing.id })
        .update({
          status: 'running',
          started_at: options.now ?? new Date(),
          finished_at: null,
        });
    } else {
      await this.db('step_runs').insert({
        ...key,
        stage: options.stage,
        status: 'running',
        tries: 0,
        started_at: options.now ?? new Date(),
      });
    }
    return toStepRun(
      (await this.db<StepRunRow>('step_runs').where(key).first())!,
    );
  }

  /** Counts one more try of a running step. */
  async countTry(stepRunId: number): Promise<void> {
    await this.db('step_runs').where({ id: stepRunId }).increment('tries', 1);
  }

  /** Records a step run that never starts (skipped, or failed before). */
  async recordStep(options: {
    runId: string;
    attempt: number;
    stage: string;
    step: string;
    status: StepRunStatus;
    reason?: string;
    now?: Date;
  }): Promise<void> {
    const now = options.now ?? new Date();
    await this.db('step_runs').insert({
      run_id: options.runId,
      attempt: options.attempt,
      stage: options.stage,
      step: options.step,
      status: options.status,
      reason: options.reason ?? null,
      tries: 0,
      finished_at: now,
    });
  }

  async finishStep(
    stepRunId: number,
    result: {
      status: StepRunStatus;
      exitCode?: number | null;
      reason?: string;
      outputs?: Record<string, string>;
    },
    now = new Date(),
  ): Promise<void> {
    await this.db('step_runs')
      .where({ id: stepRunId })
      .update({
        status: result.status,
        exit_code: result.exitCode ?? null,
        reason: result.reason ?? null,
        outputs: JSON.stringify(result.outputs ?? {}),
        finished_at: now,
      });
  }

  /**
   * Appends a chunk to a step run's log, unless it holds `maxChunks`
   * already; the last chunk allowed says that the rest was dropped. Returns
   * false when the chunk was dropped.
   */
  async appendLog(
    stepRunId: number,
    chunk: { stream: string; text: string; at: Date },
    maxChunks: number,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const row = await tx<StepRunRow>('step_runs')
        .where({ id: stepRunId })
        .first('log_count');
      const count = Number(row?.log_count ?? 0);
      if (count >= maxChunks) return false;
      const last = count === maxChunks - 1;
      await tx('step_logs').insert({
        step_run_id: stepRunId,
        seq: count + 1,
        stream: last ? 'system' : chunk.stream,
        text: last
          ? `The log holds at most ${maxChunks} chunks; the rest of this step's output is not kept.\n`
          : chunk.text,
        at: chunk.at,
      });
      await tx('step_runs')
        .where({ id: stepRunId })
        .update({ log_count: count + 1 });
      return !last;
    });
  }

  /** A step run's log chunks after sequence number `after`, in order. */
  async readLog(
    stepRunId: number,
    options: { after?: number; limit: number },
  ): Promise<StepLogChunk[]> {
    const rows = await this.db('step_logs')
      .where({ step_run_id: stepRunId })
      .where('seq', '>', options.after ?? 0)
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(r => ({
      seq: Number(r.seq),
      stream: r.stream,
      text: r.text,
      at: toIso(r.at),
    }));
  }

  /**
   * Records what a stage of an attempt produced, replacing what the same
   * stage of the same attempt recorded before (an engine retaking the run).
   */
  async addArtifact(
    artifact: Omit<ArtifactRecord, 'createdAt'>,
    now = new Date(),
  ): Promise<ArtifactRecord> {
    await this.get(artifact.runId);
    const key = {
      run_id: artifact.runId,
      attempt: artifact.attempt,
      stage: artifact.stage,
    };
    await this.db<ArtifactRow>('artifacts')
      .insert({
        ...key,
        type: artifact.type,
        reference: artifact.image,
        digest: artifact.digest,
        tags: JSON.stringify(artifact.tags),
        created_at: now,
      })
      .onConflict(['run_id', 'attempt', 'stage'])
      .merge(['type', 'reference', 'digest', 'tags', 'created_at']);
    return toArtifact(
      (await this.db<ArtifactRow>('artifacts').where(key).first())!,
    );
  }

  /** The artifacts of every attempt of a run, oldest first. */
  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    const rows = await this.db<ArtifactRow>('artifacts')
      .where({ run_id: runId })
      .orderBy('id', 'asc');
    return rows.map(toArtifact);
  }
}
