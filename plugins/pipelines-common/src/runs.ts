import { RunTrigger } from './triggers';
import { StageType } from './definition/types';

/**
 * Where a run is: `queued` in the database until an executor slot takes it,
 * `running`, then one of the final states, which never change.
 *
 * @public
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** The states a run never leaves. @public */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * Where a stage or a step is. `skipped`: its `when` did not match the run,
 * or something it needs failed or was skipped.
 *
 * @public
 */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/** @public */
export type StageStatus = StepStatus;

/** One attempt of a step; a step with retries may have several. @public */
export interface StepAttempt {
  /** 1 for the first try. */
  attempt: number;
  status: StepStatus;
  exitCode?: number;
  /** Why it failed: a non-zero exit, a timeout, a cancel, an executor error. */
  error?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** A step of a run. @public */
export interface StepRun {
  name: string;
  status: StepStatus;
  attempts: StepAttempt[];
  /** What the step wrote to its output file (`$PIPELINE_OUTPUT`). */
  outputs: Record<string, string>;
  startedAt?: string;
  finishedAt?: string;
}

/** A stage of a run. @public */
export interface StageRun {
  name: string;
  type: StageType;
  status: StageStatus;
  /** The stages it waited for. */
  needs: string[];
  steps: StepRun[];
  /** A deploy stage: the deployment it asked the Environments plugin for, per environment. */
  deployments?: Array<{
    environment: string;
    deploymentId?: string;
    status: StepStatus;
  }>;
  startedAt?: string;
  finishedAt?: string;
}

/**
 * Something a run produced. An image stage produces an `image`: the
 * reference it pushed and the digest the registry gave it.
 *
 * @public
 */
export interface Artifact {
  type: 'image';
  /** The stage that produced it. */
  stage: string;
  /** `registry/repository:tag`, the first tag pushed. */
  image: string;
  /** Every tag pushed. */
  tags: string[];
  /** `sha256:` and 64 hex digits. */
  digest: string;
  createdAt: string;
}

/** A run of a component's pipeline. @public */
export interface Run {
  id: string;
  /** The component's entity ref. */
  component: string;
  /** Counts the runs of the component, from 1. */
  number: number;
  status: RunStatus;
  trigger: RunTrigger;
  /** `owner/name` (GitHub) or `group/project` (GitLab). */
  repository: string;
  ref: string;
  branch?: string;
  tag?: string;
  commit: string;
  author?: string;
  /** Where the definition came from. */
  definitionSource: 'repository' | 'default';
  stages: StageRun[];
  artifacts: Artifact[];
  /** Why it failed or was cancelled, when not a step's own failure. */
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}
