import {
  isReservedEnvName,
  PIPELINE_OUTPUT_ENV,
} from '@internal/plugin-pipelines-common';
import { PipelineWorkspace } from './executor';

/**
 * The variable that names a step's outputs file, as `GITHUB_OUTPUT` does on
 * GitHub Actions.
 *
 * @public
 */
export const PIPELINE_OUTPUT_VARIABLE = PIPELINE_OUTPUT_ENV;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a step's `env`: every name is `[A-Za-z_][A-Za-z0-9_]*` and none is
 * one the executor sets itself (`HOME`, `TMPDIR`, `CI`, `PIPELINE_*`), and
 * no value holds a NUL character. Returns what is wrong, or `undefined`.
 *
 * @public
 */
export function checkStepEnvironment(
  env: Record<string, string> | undefined,
): string | undefined {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!NAME.test(name)) {
      return `'${name}' is not a valid environment variable name`;
    }
    if (isReservedEnvName(name)) {
      return `'${name}' is set by the executor and cannot be given in a step's env`;
    }
    if (typeof value !== 'string') {
      return `The value of '${name}' is not a string`;
    }
    if (value.includes('\0')) {
      return `The value of '${name}' contains a NUL character`;
    }
  }
  return undefined;
}

/**
 * What {@link pipelineContextEnvironment} names.
 *
 * @public
 */
export type PipelineContextOptions = {
  workspace: PipelineWorkspace;
  stepId: string;
  attempt: number;
  /** Where the checkout is, as the step sees it. */
  checkoutPath: string;
  /** Where the step's outputs file is, as the step sees it. */
  outputPath: string;
};

/**
 * The `PIPELINE_*` variables every executor gives a step, so that scripts see
 * the same names everywhere:
 *
 * | Variable               | Value                                        |
 * | ---------------------- | -------------------------------------------- |
 * | `PIPELINE_RUN_ID`      | the run's id                                 |
 * | `PIPELINE_STEP_ID`     | the step's id                                |
 * | `PIPELINE_ATTEMPT`     | 1, 2 on the first retry, ...                 |
 * | `PIPELINE_COMPONENT`   | the component's entity ref (if known)        |
 * | `PIPELINE_REPOSITORY`  | the clone URL (if a repository was checked out) |
 * | `PIPELINE_COMMIT`      | the full commit id checked out               |
 * | `PIPELINE_REF`         | the ref (if known)                           |
 * | `PIPELINE_WORKSPACE`   | the checkout's absolute path                 |
 * | `PIPELINE_OUTPUT`      | the step's outputs file                      |
 *
 * @public
 */
export function pipelineContextEnvironment(
  options: PipelineContextOptions,
): Record<string, string> {
  const { workspace } = options;
  const env: Record<string, string> = {
    PIPELINE_RUN_ID: workspace.runId,
    PIPELINE_STEP_ID: options.stepId,
    PIPELINE_ATTEMPT: String(options.attempt),
    PIPELINE_WORKSPACE: options.checkoutPath,
    [PIPELINE_OUTPUT_VARIABLE]: options.outputPath,
  };
  if (workspace.component) {
    env.PIPELINE_COMPONENT = workspace.component;
  }
  if (workspace.repository) {
    env.PIPELINE_REPOSITORY = workspace.repository.cloneUrl;
    env.PIPELINE_COMMIT = workspace.repository.commit;
    if (workspace.repository.ref) {
      env.PIPELINE_REF = workspace.repository.ref;
    }
  }
  return env;
}

/**
 * A step's whole environment, the same way in every executor: the
 * executor's `base` (what it gives every process, e.g. `PATH`), then the
 * step's own `env`, then what the executor sets itself and a step cannot
 * override: `HOME`, `TMPDIR`, `CI=true` and the
 * {@link pipelineContextEnvironment | PIPELINE_* variables}.
 *
 * @public
 */
export function stepEnvironment(
  options: PipelineContextOptions & {
    /** The executor's variables for every process, before the step's. */
    base?: Record<string, string>;
    /** The step's `env` (checked with {@link checkStepEnvironment}). */
    env?: Record<string, string>;
    /** `HOME`, as the step sees it. */
    homePath: string;
    /** `TMPDIR`, as the step sees it. */
    tmpPath: string;
  },
): Record<string, string> {
  return {
    ...options.base,
    ...options.env,
    HOME: options.homePath,
    TMPDIR: options.tmpPath,
    CI: 'true',
    ...pipelineContextEnvironment(options),
  };
}
