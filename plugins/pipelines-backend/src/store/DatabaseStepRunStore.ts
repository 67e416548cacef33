import {
  PipelineLogChunkView,
  StepStatus,
} from '@internal/plugin-pipelines-common';
import { toIso } from '@internal/platform-node';
import { Knex } from 'knex';
import { getRunRow, StepRunRow, Timestamp, toStepRun } from './runRows';
import { StepRunRecord, StepRunStore } from './StepRunStore';

/** A row of the `step_logs` table. */
interface StepLogRow {
  step_run_id: number;
  seq: number;
  stream: string;
  text: string;
  at: Timestamp;
}

/** Step runs in the `step_runs` table, their logs in `step_logs`. */
export class DatabaseStepRunStore implements StepRunStore {
  constructor(private readonly db: Knex) {}

  async listSteps(runId: string, attempt?: number): Promise<StepRunRecord[]> {
    const run = await getRunRow(this.db, runId);
    const rows = await this.db<StepRunRow>('step_runs')
      .where({ run_id: runId, attempt: attempt ?? run.attempt })
      .orderBy('id', 'asc');
    return rows.map(toStepRun);
  }

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
          waiting_for: null,
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

  async countTry(stepRunId: number): Promise<void> {
    await this.db('step_runs').where({ id: stepRunId }).increment('tries', 1);
  }

  async setWaitingFor(
    stepRunId: number,
    waitingFor: string | undefined,
  ): Promise<void> {
    await this.db('step_runs')
      .where({ id: stepRunId })
      .update({ waiting_for: waitingFor ?? null });
  }

  async recordStep(options: {
    runId: string;
    attempt: number;
    stage: string;
    step: string;
    status: StepStatus;
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
      status: StepStatus;
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
        waiting_for: null,
        finished_at: now,
      });
  }

  async appendLog(
    stepRunId: number,
    chunk: { stream: PipelineLogChunkView['stream']; text: string; at: Date },
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

  async readLog(
    stepRunId: number,
    options: { after?: number; limit: number },
  ): Promise<PipelineLogChunkView[]> {
    const rows = await this.db<StepLogRow>('step_logs')
      .where({ step_run_id: stepRunId })
      .where('seq', '>', options.after ?? 0)
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(r => ({
      seq: Number(r.seq),
      // Only appendLog writes the column, with one of these.
      stream: r.stream as PipelineLogChunkView['stream'],
      text: r.text,
      at: toIso(r.at),
    }));
  }
}
