import {
  ExpressionContext,
  ImageStageDefinition,
  resolveExpressions,
  StepStatus,
} from '@internal/plugin-pipelines-common';
import {
  ImageBuildSpec,
  PipelineWorkspace,
  runImageBuild,
} from '@internal/plugin-pipelines-node';
import { RunRecord } from '../store/RunQueueStore';
import { INTERRUPTED_REASON, logSink, RunExecutionContext } from './runContext';
import { startStageStep } from './stageStep';

function resolveSpec(
  stage: ImageStageDefinition,
  expressions: ExpressionContext,
): ImageBuildSpec {
  return {
    ...stage.image,
    tags: stage.image.tags.map(tag => resolveExpressions(tag, expressions)),
    buildArgs: Object.fromEntries(
      Object.entries(stage.image.buildArgs).map(([key, value]) => [
        key,
        resolveExpressions(value, expressions),
      ]),
    ),
  };
}

/**
 * Runs an image stage: builds and pushes its image with `runImageBuild` as
 * the stage's one step run (named after the stage), in the run's workspace
 * on its executor, and records the pushed image as the run's artifact.
 * Pushes `failures` and returns the step's status; never throws for what
 * happens to the build.
 */
export async function runImageStage(
  run: RunRecord,
  stage: ImageStageDefinition,
  workspace: PipelineWorkspace,
  ctx: RunExecutionContext,
  expressions: ExpressionContext,
  failures: string[],
): Promise<StepStatus> {
  const { store, signal } = ctx;
  const { stepRun, finish } = await startStageStep(
    run,
    stage.name,
    ctx,
    failures,
  );

  let spec: ImageBuildSpec;
  try {
    spec = resolveSpec(stage, expressions);
  } catch (error) {
    return finish(
      'failed',
      `Could not resolve the image's tags and build arguments: ${
        (error as Error).message
      }`,
    );
  }
  await store.countTry(stepRun.id);
  const outcome = await runImageBuild({
    executor: ctx.executor,
    workspace,
    stepId: stage.name,
    attempt: 1,
    spec,
    commit: run.commit,
    component: run.component,
    registry: ctx.imageRegistry,
    log: logSink(store, stepRun.id, ctx.maxLogChunks),
    signal,
  });
  const exitCode = outcome.step?.exitCode;
  if (outcome.status === 'failed') {
    if (outcome.reason === 'interrupted' && !signal.aborted) {
      // As for a step: the executor is shutting down with the backend.
      ctx.abort(INTERRUPTED_REASON);
    }
    if (signal.aborted) {
      return finish('cancelled', ctx.abortReason(), { exitCode });
    }
    return finish('failed', outcome.message, { exitCode });
  }
  const { artifact } = outcome;
  const recorded = await store.addArtifact({
    runId: run.id,
    attempt: run.attempt,
    type: 'image',
    stage: stage.name,
    image: artifact.image,
    tags: artifact.tags,
    digest: artifact.digest,
  });
  ctx.onArtifact?.(recorded, artifact.repository);
  return finish('succeeded', undefined, {
    exitCode,
    outputs: {
      image: artifact.image,
      repository: artifact.repository,
      digest: artifact.digest,
      tags: artifact.tags.join(','),
    },
  });
}
