import * as Models from './schema/openapi/generated/models';
import { ListRuns } from './schema/openapi';

/**
 * A step run as the pipelines API returns it (the spec's `StepRun`): one
 * step of one attempt of a run, with how often it was started in this
 * attempt (`tries`: 1 + the retries used) and whether it was taken over from
 * the attempt before by a re-run of failed steps (`reused`). A running step
 * that waits for something outside the executor says what (`waitingFor`,
 * e.g. a deploy stage waiting for an external CD system's status report).
 * `.checkout` is the run's checkout.
 *
 * @public
 */
export type PipelineStepRunView = Models.StepRun;

/**
 * A stage of the pipeline definition a run loaded (the spec's
 * `StageOutline`): the graph the run page draws, including the stages that
 * have not started.
 *
 * @public
 */
export type PipelineStageOutline = Models.StageOutline;

/**
 * A run as the pipelines API returns it (`GET /runs`, `GET /runs/{id}`,
 * which adds `stages`, `steps` and `artifacts`; the spec's `PipelineRun`).
 * `component` is the component's entity ref; `trigger` says why the run
 * exists (a delivery's trigger, `manual`, ...); `attempt` is 1, then 2 after
 * the first re-run, ...
 *
 * @public
 */
export type PipelineRunView = Models.PipelineRun;

/**
 * An artifact as the pipelines API returns it (the spec's `Artifact`): what
 * a stage of one attempt of a run produced.
 *
 * @public
 */
export type PipelineArtifactView = Models.Artifact;

/**
 * Filters of `listRuns` (the operation's query): a component's entity ref or
 * name, a status, a branch; `limit` 1 to 100 (default 20) and `offset`.
 *
 * @public
 */
export type PipelineRunFilter = ListRuns['query'];

/**
 * Log chunks after a sequence number; `complete` once the step has ended and
 * no more will come. Follow a step by asking again with `after` set to the
 * last `seq`.
 *
 * @public
 */
export type PipelineLogPage = Models.GetStepLogs200Response;

/**
 * A chunk of a step's log: `seq` counts from 1 within the step run.
 *
 * @public
 */
export type PipelineLogChunkView = PipelineLogPage['items'][number];
