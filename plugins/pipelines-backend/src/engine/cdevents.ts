import { randomUUID } from 'node:crypto';
import { ArtifactRecord } from '../store/ArtifactStore';
import { RunRecord } from '../store/RunQueueStore';
import { StepRunRecord } from '../store/StepRunStore';

/** The events service topic the engine publishes run events on. */
export const PIPELINES_TOPIC = 'pipelines';

/** Where the events come from, as a CDEvents `source`. */
const SOURCE = '/backstage/pipelines';

/** The CDEvents (spec 0.4) the engine publishes. */
export type PipelineCDEventType =
  | 'dev.cdevents.pipelinerun.queued.0.2.0'
  | 'dev.cdevents.pipelinerun.started.0.2.0'
  | 'dev.cdevents.pipelinerun.finished.0.2.0'
  | 'dev.cdevents.taskrun.started.0.2.0'
  | 'dev.cdevents.taskrun.finished.0.2.0'
  | 'dev.cdevents.artifact.packaged.0.2.0'
  | 'dev.cdevents.artifact.published.0.2.0';

/** A CDEvents envelope for a pipeline run or one of its steps (a task run). */
export interface PipelineCDEvent {
  context: {
    version: '0.4.1';
    id: string;
    source: string;
    type: PipelineCDEventType;
    timestamp: string;
  };
  subject: {
    id: string;
    source: string;
    content: Record<string, unknown>;
  };
  customData: Record<string, unknown>;
}

function envelope(
  type: PipelineCDEventType,
  subjectId: string,
  content: Record<string, unknown>,
  customData: Record<string, unknown>,
): PipelineCDEvent {
  return {
    context: {
      version: '0.4.1',
      id: randomUUID(),
      source: SOURCE,
      type,
      timestamp: new Date().toISOString(),
    },
    subject: { id: subjectId, source: SOURCE, content },
    customData,
  };
}

function runData(run: RunRecord) {
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
): PipelineCDEvent {
  return envelope(
    `dev.cdevents.pipelinerun.${type}.0.2.0`,
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
): PipelineCDEvent {
  const outcome = {
    succeeded: 'success',
    failed: 'failure',
    cancelled: 'cancel',
  }[status];
  return envelope(
    'dev.cdevents.pipelinerun.finished.0.2.0',
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
): PipelineCDEvent {
  const outcome =
    finished &&
    ({ succeeded: 'success', cancelled: 'cancel' } as Record<string, string>)[
      finished.status
    ];
  return envelope(
    `dev.cdevents.taskrun.${type}.0.2.0`,
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
): PipelineCDEvent {
  return envelope(
    `dev.cdevents.artifact.${type}.0.2.0`,
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
