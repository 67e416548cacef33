import {
  ARTIFACT_CDEVENT_TYPES,
  ArtifactCDEvent,
  PIPELINE_RUN_CDEVENT_TYPES,
  PIPELINES_CDEVENTS_VERSION,
  PipelineCDEventEnvelope,
  PipelineCDEventOutcome,
  PipelineCDEventType,
  PipelineRunCDEvent,
  PipelineRunEventData,
  TASK_RUN_CDEVENT_TYPES,
  TaskRunCDEvent,
} from '@internal/plugin-pipelines-common';
import { randomUUID } from 'node:crypto';
import { ArtifactRecord } from '../store/ArtifactStore';
import { RunRecord } from '../store/RunQueueStore';
import { StepRunRecord } from '../store/StepRunStore';

// The payload types, type names and topic are the plugin's contract with its
// subscribers and live in pipelines-common; only the builders (from the
// store's records, with event ids from node's crypto) are here.

/** Where the events come from, as a CDEvents `source`. */
const SOURCE = '/backstage/pipelines';

function envelope<TType extends PipelineCDEventType, TContent, TData>(
  type: TType,
  subjectId: string,
  content: TContent,
  customData: TData,
): PipelineCDEventEnvelope<TType, TContent, TData> {
  return {
    context: {
      version: PIPELINES_CDEVENTS_VERSION,
      id: randomUUID(),
      source: SOURCE,
      type,
      timestamp: new Date().toISOString(),
    },
    subject: { id: subjectId, source: SOURCE, content },
    customData,
  };
}

function runData(run: RunRecord): PipelineRunEventData {
  return {
    component: run.component,
    number: run.number,
    attempt: run.attempt,
    repository: run.repository,
    ref: run.ref,
    branch: run.branch,
    commit: run.commit,
    trigger: run.trigger,
  };
}

/** `pipelineRun.queued` or `pipelineRun.started`. */
export function pipelineRunEvent(
  type: 'queued' | 'started',
  run: RunRecord,
): PipelineRunCDEvent {
  return envelope(
    PIPELINE_RUN_CDEVENT_TYPES[type],
    run.id,
    { pipelineName: run.component },
    runData(run),
  );
}

/** `pipelineRun.finished`: `outcome` success, failure or cancel. */
export function pipelineRunFinishedEvent(
  run: RunRecord,
  status: 'succeeded' | 'failed' | 'cancelled',
  reason?: string,
): PipelineRunCDEvent {
  const outcome = (
    {
      succeeded: 'success',
      failed: 'failure',
      cancelled: 'cancel',
    } as const
  )[status];
  return envelope(
    PIPELINE_RUN_CDEVENT_TYPES.finished,
    run.id,
    {
      pipelineName: run.component,
      outcome,
      ...(reason ? { errors: reason } : {}),
    },
    { ...runData(run), status },
  );
}

/** `taskRun.started` or `taskRun.finished` for a step run. */
export function taskRunEvent(
  type: 'started' | 'finished',
  run: RunRecord,
  step: Pick<StepRunRecord, 'id' | 'stage' | 'step'>,
  finished?: { status: string; exitCode?: number | null; reason?: string },
): TaskRunCDEvent {
  const outcome =
    finished &&
    (
      { succeeded: 'success', cancelled: 'cancel' } as Record<
        string,
        PipelineCDEventOutcome
      >
    )[finished.status];
  return envelope(
    TASK_RUN_CDEVENT_TYPES[type],
    `${run.id}/${run.attempt}/${step.step}`,
    {
      taskName: step.step,
      pipelineRun: { id: run.id, source: SOURCE },
      ...(finished
        ? {
            outcome: outcome ?? 'failure',
            ...(finished.reason ? { errors: finished.reason } : {}),
          }
        : {}),
    },
    {
      ...runData(run),
      stage: step.stage,
      stepRunId: step.id,
      ...(finished
        ? { status: finished.status, exitCode: finished.exitCode ?? null }
        : {}),
    },
  );
}

/**
 * The package URL CDEvents names an OCI image by:
 * `pkg:oci/<name>@<digest>?repository_url=<host/path>&tag=<tag>`.
 */
export function imagePurl(
  artifact: Pick<ArtifactRecord, 'digest' | 'tags'>,
  repository: string,
): string {
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  const query = new URLSearchParams({
    repository_url: repository,
    tag: artifact.tags[0],
  });
  return `pkg:oci/${name}@${encodeURIComponent(artifact.digest)}?${query}`;
}

/**
 * `artifact.packaged` (the image was built) or `artifact.published` (it is
 * in the registry). An image stage builds and pushes in one step, so the
 * engine sends both when it ends.
 */
export function artifactEvent(
  type: 'packaged' | 'published',
  run: RunRecord,
  artifact: ArtifactRecord,
  repository: string,
): ArtifactCDEvent {
  return envelope(
    ARTIFACT_CDEVENT_TYPES[type],
    imagePurl(artifact, repository),
    type === 'packaged'
      ? {
          change: {
            id: artifact.tags[0],
            source: run.repository ?? run.component,
          },
        }
      : {},
    {
      ...runData(run),
      pipelineRun: { id: run.id, source: SOURCE },
      stage: artifact.stage,
      image: artifact.image,
      tags: artifact.tags,
      digest: artifact.digest,
    },
  );
}
