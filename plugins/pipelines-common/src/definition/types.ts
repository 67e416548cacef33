/**
 * A pipeline as `.platform/pipeline.yaml` writes it, before defaults: the
 * shape of `schema/pipeline.schema.json`.
 *
 * @public
 */
export interface PipelineFile {
  version?: 1;
  triggers?: {
    push?: { branches?: string[]; tags?: string[] };
    pullRequest?: {
      branches?: string[];
      types?: Array<'opened' | 'synchronize' | 'reopened' | 'closed'>;
    };
    manual?: boolean;
    schedule?: Array<{ cron: string; branch?: string }>;
  };
  env?: Record<string, string | number | boolean>;
  timeout?: string;
  stages: PipelineFileStage[];
}

/** A stage as the file writes it. @public */
export interface PipelineFileStage {
  name: string;
  needs?: string[];
  env?: Record<string, string | number | boolean>;
  when?: StageCondition;
  steps?: Array<{
    name: string;
    run: string;
    env?: Record<string, string | number | boolean>;
    workingDirectory?: string;
    timeout?: string;
    retries?: number;
    needs?: string[];
  }>;
  image?: {
    context?: string;
    dockerfile?: string;
    repository?: string;
    tags?: string[];
    buildArgs?: Record<string, string | number | boolean>;
  };
  deploy?: { environments: string[]; image?: string };
}

/**
 * Runs a stage only for some runs; any condition that holds is enough.
 *
 * @public
 */
export interface StageCondition {
  /** Branch globs: pushes, manual and scheduled runs on these branches. */
  branches?: string[];
  /** The repository's default branch. */
  defaultBranch?: true;
  /** Tag globs. */
  tags?: string[];
  /** Runs of pull requests. */
  pullRequests?: true;
}

/**
 * When a pipeline runs, with the defaults applied: a kind left out of a
 * `triggers` section is off, except `manual`, which is on unless set false.
 *
 * @public
 */
export interface PipelineTriggers {
  /** Absent: pushes do not run the pipeline. */
  push?: { branches: string[]; tags: string[] };
  /** Absent: pull requests do not run the pipeline. */
  pullRequest?: {
    /** Base branch globs; empty for any. */
    branches: string[];
    types: Array<'opened' | 'synchronize' | 'reopened' | 'closed'>;
  };
  manual: boolean;
  schedule: Array<{ cron: string; branch?: string }>;
}

/** A step, with defaults applied. @public */
export interface StepDefinition {
  name: string;
  /** A command line for a shell. */
  run: string;
  /** The step's own variables, values as written (expressions unresolved). */
  env: Record<string, string>;
  /** Relative to the repository root; `.` for the root. */
  workingDirectory: string;
  timeoutMs: number;
  retries: number;
  /** Steps of the same stage that must succeed first. */
  needs: string[];
}

/** @public */
export type StageType = 'steps' | 'image' | 'deploy';

interface StageBase {
  name: string;
  /** Stages that must succeed first. */
  needs: string[];
  when?: StageCondition;
}

/** A stage of steps. @public */
export interface StepsStageDefinition extends StageBase {
  type: 'steps';
  /** The stage's variables, for each of its steps. */
  env: Record<string, string>;
  steps: StepDefinition[];
}

/** A stage that builds and pushes an image. @public */
export interface ImageStageDefinition extends StageBase {
  type: 'image';
  image: {
    context: string;
    /** Relative to the repository root. */
    dockerfile: string;
    /** Absent: the engine's configured registry and the component's name. */
    repository?: string;
    /** May hold expressions. */
    tags: string[];
    buildArgs: Record<string, string>;
  };
}

/** A stage that deploys an image stage's image. @public */
export interface DeployStageDefinition extends StageBase {
  type: 'deploy';
  deploy: {
    environments: string[];
    /** The image stage whose artifact it deploys. */
    image: string;
  };
}

/** @public */
export type StageDefinition =
  | StepsStageDefinition
  | ImageStageDefinition
  | DeployStageDefinition;

/**
 * A validated pipeline with every default applied: what the engine runs.
 * `needs` is always explicit, so stages and steps form a DAG without
 * reference to their order in the file.
 *
 * @public
 */
export interface PipelineDefinition {
  version: 1;
  triggers: PipelineTriggers;
  env: Record<string, string>;
  timeoutMs: number;
  stages: StageDefinition[];
}

/**
 * A problem in a pipeline file: what is wrong, the field (`stages[1].steps[0].timeout`)
 * and where it is in the file (1-based line and column), when known.
 *
 * @public
 */
export interface PipelineError {
  message: string;
  /** The field, as a path from the top of the file; empty for the file. */
  path: string;
  line?: number;
  column?: number;
}
