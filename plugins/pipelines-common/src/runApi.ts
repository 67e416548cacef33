import { Artifact, RunStatus, StepStatus } from './runs';

/**
 * A step run as the pipelines API returns it: one step of one attempt of a
 * run. `.checkout` is the run's checkout.
 *
 * @public
 */
export type PipelineStepRunView = {
  stage: string;
  step: string;
  status: StepStatus;
  /** How often it was started in this attempt (1 + the retries used). */
  tries: number;
  exitCode?: number;
  reason?: string;
  outputs: Record<string, string>;
  /** Taken over from the attempt before by a re-run of failed steps. */
  reused: boolean;
  startedAt?: string;
  finishedAt?: string;
};

/**
 * A stage of the pipeline definition a run loaded: the graph the run page
 * draws, including the stages that have not started.
 *
 * @public
 */
export type PipelineStageOutline = {
  name: string;
  type: 'steps' | 'image' | 'deploy';
  /** The stages that must succeed first. */
  needs: string[];
  /** Its steps; an image or deploy stage has one step named after it. */
  steps: Array<{ name: string; needs: string[] }>;
};

/**
 * A run as the pipelines API returns it (`GET /runs`, `GET /runs/{id}`,
 * which adds `steps`).
 *
 * @public
 */
export type PipelineRunView = {
  id: string;
  /** The component's entity ref. */
  component: string;
  /** Counts the runs of the component, from 1. */
  number: number;
  repository?: string;
  ref?: string;
  branch?: string;
  commit?: string;
  /** Why the run exists: a delivery's trigger (`push`, `tag`, `pull_request`), `manual`, ... */
  trigger: { type: string; [key: string]: unknown };
  status: RunStatus;
  /** Why it failed or was cancelled. */
  reason?: string;
  /** 1, then 2 after the first re-run, ... */
  attempt: number;
  definitionSource?: 'repository' | 'default';
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The stage graph of the current attempt's definition (only from `getRun`, once it was read). */
  stages?: PipelineStageOutline[];
  /** The step runs of the current attempt (only from `getRun`). */
  steps?: PipelineStepRunView[];
  /** What the stages of every attempt produced, oldest first (only from `getRun`). */
  artifacts?: PipelineArtifactView[];
};

/**
 * An artifact as the pipelines API returns it: what a stage of one attempt
 * of a run produced.
 *
 * @public
 */
export type PipelineArtifactView = Artifact & {
  /** The attempt of the run that produced it. */
  attempt: number;
};

/** Filters of `listRuns`. @public */
export type PipelineRunFilter = {
  /** An entity ref, or a component's name in the default namespace. */
  component?: string;
  status?: RunStatus;
  branch?: string;
  /** 1 to 100, default 20. */
  limit?: number;
  offset?: number;
};

/** A chunk of a step's log. @public */
export type PipelineLogChunkView = {
  /** From 1 within the step run. */
  seq: number;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
  at: string;
};

/**
 * Log chunks after a sequence number; `complete` once the step has ended and
 * no more will come. Follow a step by asking again with `after` set to the
 * last `seq`.
 *
 * @public
 */
export type PipelineLogPage = {
  items: PipelineLogChunkView[];
  complete: boolean;
};
