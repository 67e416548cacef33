import { StepStatus } from '@internal/plugin-pipelines-common';
import { RunRecord } from '../store/RunQueueStore';
import { RunExecutionContext } from './runContext';

/**
 * Starts the one step run of an image or deploy stage (named after the
 * stage) and returns it with `finish`, which records how it ended, tells
 * `onStep`, and adds a failure to `failures`.
 */
export async function startStageStep(
  run: RunRecord,
  stageName: string,
  ctx: RunExecutionContext,
  failures: string[],
) {
  const { store } = ctx;
  const stepRun = await store.startStep({
    runId: run.id,
    attempt: run.attempt,
    stage: stageName,
    step: stageName,
  });
  ctx.onStep?.('started', stepRun);
  const finish = async (
    status: StepStatus,
    reason?: string,
    extra: { exitCode?: number | null; outputs?: Record<string, string> } = {},
  ): Promise<StepStatus> => {
    await store.finishStep(stepRun.id, { status, reason, ...extra });
    ctx.onStep?.('finished', stepRun, {
      status,
      exitCode: extra.exitCode,
      reason,
    });
    if (status === 'failed') failures.push(`stage '${stageName}': ${reason}`);
    return status;
  };
  return { stepRun, finish };
}
