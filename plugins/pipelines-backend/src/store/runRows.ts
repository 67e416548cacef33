import { NotFoundError } from '@backstage/errors';
import { RunStatus, StepStatus } from '@internal/plugin-pipelines-common';
import { toIso } from '@internal/platform-node';
import { Knex } from 'knex';
import { RunRecord } from './RunQueueStore';
import { StepRunRecord } from './StepRunStore';

/** A time as the drivers return it: a Date (pg), text or epoch ms (SQLite). */
export type Timestamp = Date | string | number;

/** A row of the `runs` table. */
export interface RunRow {
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

/** A row of the `step_runs` table. */
export interface StepRunRow {
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
  waiting_for: string | null;
  log_count: number;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** The run a row holds; the stored workspace is left out (not the API's). */
export function toRun(row: RunRow): RunRecord {
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
      ? {
          definitionSource: row.definition_source as NonNullable<
            RunRecord['definitionSource']
          >,
        }
      : {}),
    ...(row.stages ? { stages: JSON.parse(row.stages) } : {}),
    createdAt: toIso(row.created_at),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
  };
}

/** The step run a row holds. */
export function toStepRun(row: StepRunRow): StepRunRecord {
  return {
    id: Number(row.id),
    runId: row.run_id,
    attempt: Number(row.attempt),
    stage: row.stage,
    step: row.step,
    status: row.status as StepStatus,
    tries: Number(row.tries),
    ...(row.exit_code !== null ? { exitCode: Number(row.exit_code) } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    outputs: row.outputs ? JSON.parse(row.outputs) : {},
    reused: Boolean(row.reused),
    ...(row.waiting_for ? { waitingFor: row.waiting_for } : {}),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
  };
}

/** The run's row, or a NotFoundError naming the run. */
export async function getRunRow(db: Knex, id: string): Promise<RunRow> {
  const row = await db<RunRow>('runs').where({ id }).first();
  if (!row) throw new NotFoundError(`no run '${id}'`);
  return row;
}
