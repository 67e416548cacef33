import {
  PipelineLogChunkView,
  PipelineStepRunView,
  StepStatus,
} from '@internal/plugin-pipelines-common';

/** One step of one attempt of a run: the API's view of it, and its keys. */
export type StepRunRecord = PipelineStepRunView & {
  id: number;
  runId: string;
  attempt: number;
};

/** The step runs of each attempt of a run, and their logs. */
export interface StepRunStore {
  /** The step runs of an attempt (the current one by default), in order. */
  listSteps(runId: string, attempt?: number): Promise<StepRunRecord[]>;
  /** Creates the step run of an attempt, or starts again the one there is. */
  startStep(options: {
    runId: string;
    attempt: number;
    stage: string;
    step: string;
    now?: Date;
  }): Promise<StepRunRecord>;
  /** Counts one more try of a running step. */
  countTry(stepRunId: number): Promise<void>;
  /**
   * Says what a running step waits for outside the executor (`undefined`:
   * nothing). Starting or finishing the step clears it.
   */
  setWaitingFor(
    stepRunId: number,
    waitingFor: string | undefined,
  ): Promise<void>;
  /** Records a step run that never starts (skipped, or failed before). */
  recordStep(options: {
    runId: string;
    attempt: number;
    stage: string;
    step: string;
    status: StepStatus;
    reason?: string;
    now?: Date;
  }): Promise<void>;
  /** Records how a step run ended. */
  finishStep(
    stepRunId: number,
    result: {
      status: StepStatus;
      exitCode?: number | null;
      reason?: string;
      outputs?: Record<string, string>;
    },
    now?: Date,
  ): Promise<void>;
  /**
   * Appends a chunk to a step run's log, unless it holds `maxChunks`
   * already; the last chunk allowed says that the rest was dropped. Returns
   * false when the chunk was dropped.
   */
  appendLog(
    stepRunId: number,
    chunk: { stream: PipelineLogChunkView['stream']; text: string; at: Date },
    maxChunks: number,
  ): Promise<boolean>;
  /** A step run's log chunks after sequence number `after`, in order. */
  readLog(
    stepRunId: number,
    options: { after?: number; limit: number },
  ): Promise<PipelineLogChunkView[]>;
}
