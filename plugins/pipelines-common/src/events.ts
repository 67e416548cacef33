import { PipelineRunView } from './runApi';
import { RunTrigger } from './triggers';

/**
 * The EventsService topic on which the pipelines backend publishes the
 * CDEvents of its runs (pipelineRun.*, taskRun.*, artifact.*), for other
 * plugins to subscribe to.
 *
 * @public
 */
export const PIPELINES_TOPIC = 'pipelines';

/**
 * The CDEvents spec version of the envelopes published on
 * {@link PIPELINES_TOPIC}.
 *
 * @public
 */
export const PIPELINES_CDEVENTS_VERSION = '0.4.1';

/**
 * The CDEvents type names of a pipeline run's events, by what happened.
 *
 * @public
 */
export const PIPELINE_RUN_CDEVENT_TYPES = {
  queued: 'dev.cdevents.pipelinerun.queued.0.2.0',
  started: 'dev.cdevents.pipelinerun.started.0.2.0',
  finished: 'dev.cdevents.pipelinerun.finished.0.2.0',
} as const;

/**
 * The CDEvents type names of a step run's (a task run's) events.
 *
 * @public
 */
export const TASK_RUN_CDEVENT_TYPES = {
  started: 'dev.cdevents.taskrun.started.0.2.0',
  finished: 'dev.cdevents.taskrun.finished.0.2.0',
} as const;

/**
 * The CDEvents type names of an image stage's artifact events: built
 * (`packaged`), then in the registry (`published`).
 *
 * @public
 */
export const ARTIFACT_CDEVENT_TYPES = {
  packaged: 'dev.cdevents.artifact.packaged.0.2.0',
  published: 'dev.cdevents.artifact.published.0.2.0',
} as const;

/** @public */
export type PipelineRunCDEventType =
  (typeof PIPELINE_RUN_CDEVENT_TYPES)[keyof typeof PIPELINE_RUN_CDEVENT_TYPES];

/** @public */
export type TaskRunCDEventType =
  (typeof TASK_RUN_CDEVENT_TYPES)[keyof typeof TASK_RUN_CDEVENT_TYPES];

/** @public */
export type ArtifactCDEventType =
  (typeof ARTIFACT_CDEVENT_TYPES)[keyof typeof ARTIFACT_CDEVENT_TYPES];

/**
 * Every CDEvents type the pipelines backend publishes (spec 0.4).
 *
 * @public
 */
export type PipelineCDEventType =
  | PipelineRunCDEventType
  | TaskRunCDEventType
  | ArtifactCDEventType;

/**
 * The CDEvents envelope of the events on {@link PIPELINES_TOPIC}.
 *
 * @public
 */
export interface PipelineCDEventEnvelope<
  TType extends PipelineCDEventType,
  TContent,
  TData,
> {
  context: {
    version: typeof PIPELINES_CDEVENTS_VERSION;
    id: string;
    source: string;
    type: TType;
    timestamp: string;
  };
  subject: { id: string; source: string; content: TContent };
  customData: TData;
}

/**
 * What every event tells about its run, in `customData`.
 *
 * @public
 */
export type PipelineRunEventData = Pick<
  PipelineRunView,
  | 'component'
  | 'number'
  | 'attempt'
  | 'repository'
  | 'ref'
  | 'branch'
  | 'commit'
> & { trigger: RunTrigger };

/**
 * A CDEvents outcome: `success`, `failure` or `cancel`.
 *
 * @public
 */
export type PipelineCDEventOutcome = 'success' | 'failure' | 'cancel';

/**
 * `pipelineRun.queued`, `.started` or `.finished`: the run is the subject
 * (its id), named after its component. A finished run has an `outcome`, its
 * reason as `errors`, and its status in `customData`.
 *
 * @public
 */
export type PipelineRunCDEvent = PipelineCDEventEnvelope<
  PipelineRunCDEventType,
  {
    pipelineName: string;
    outcome?: PipelineCDEventOutcome;
    errors?: string;
  },
  PipelineRunEventData & { status?: 'succeeded' | 'failed' | 'cancelled' }
>;

/**
 * `taskRun.started` or `.finished` for a step run: subject
 * `<run id>/<attempt>/<step>`, the run in `pipelineRun`. A finished step has
 * an `outcome`, and its status and exit code in `customData`.
 *
 * @public
 */
export type TaskRunCDEvent = PipelineCDEventEnvelope<
  TaskRunCDEventType,
  {
    taskName: string;
    pipelineRun: { id: string; source: string };
    outcome?: PipelineCDEventOutcome;
    errors?: string;
  },
  PipelineRunEventData & {
    stage: string;
    stepRunId: number;
    status?: string;
    exitCode?: number | null;
  }
>;

/**
 * `artifact.packaged` or `.published` for an image: subject its package URL
 * (`pkg:oci/<name>@<digest>?repository_url=...&tag=...`).
 *
 * @public
 */
export type ArtifactCDEvent = PipelineCDEventEnvelope<
  ArtifactCDEventType,
  { change?: { id: string; source: string } },
  PipelineRunEventData & {
    pipelineRun: { id: string; source: string };
    stage: string;
    image: string;
    tags: string[];
    digest: string;
  }
>;

/**
 * Every payload published on {@link PIPELINES_TOPIC}.
 *
 * @public
 */
export type PipelineCDEvent =
  | PipelineRunCDEvent
  | TaskRunCDEvent
  | ArtifactCDEvent;

function hasType(payload: unknown, types: Record<string, string>): boolean {
  const type = (payload as { context?: { type?: unknown } } | null | undefined)
    ?.context?.type;
  return Object.values(types).includes(type as string);
}

/**
 * True for a pipeline run's event. Event payloads arrive untyped; this
 * narrows one.
 *
 * @public
 */
export function isPipelineRunCDEvent(
  payload: unknown,
): payload is PipelineRunCDEvent {
  return hasType(payload, PIPELINE_RUN_CDEVENT_TYPES);
}

/**
 * True for a step run's (task run's) event.
 *
 * @public
 */
export function isTaskRunCDEvent(payload: unknown): payload is TaskRunCDEvent {
  return hasType(payload, TASK_RUN_CDEVENT_TYPES);
}

/**
 * True for an artifact event.
 *
 * @public
 */
export function isArtifactCDEvent(
  payload: unknown,
): payload is ArtifactCDEvent {
  return hasType(payload, ARTIFACT_CDEVENT_TYPES);
}
