import {
  PipelineExecutor,
  PipelineLogChunk,
  PipelineLogSink,
  PipelineStepResult,
  PipelineWorkspace,
} from '../executor';
import { planImageBuild, ImageBuildSpec } from './planImageBuild';
import { ImageRegistryConfig } from './registryConfig';

/**
 * What an image build pushed: the shape of the run's `image` artifact.
 *
 * @public
 */
export type ImageBuildArtifact = {
  /** `host/path:tag` with the first tag (the commit id). */
  image: string;
  /** `host/path`. */
  repository: string;
  /** Every tag pushed, the commit id first. */
  tags: string[];
  /** The manifest digest the registry stored, `sha256:` and 64 hex digits. */
  digest: string;
};

/**
 * Why an image build failed.
 *
 * - `invalid_request`: the spec was refused before anything ran.
 * - `build_failed`: `buildah bud` failed (a bad Dockerfile, a base image
 *   that cannot be pulled, a failing `RUN`).
 * - `push_failed`: pushing failed (the registry is down, refused the
 *   credentials, ...).
 * - the executor's own reasons when the step did not run to its end:
 *   `timed_out`, `cancelled`, `output_limit_exceeded`, `rejected`,
 *   `interrupted`, `executor_error`.
 *
 * @public
 */
export type ImageBuildFailureReason =
  | 'invalid_request'
  | 'build_failed'
  | 'push_failed'
  | Exclude<PipelineStepResult['reason'], 'exited'>;

/**
 * How an image build ended; {@link runImageBuild} never rejects.
 *
 * @public
 */
export type ImageBuildOutcome =
  | {
      status: 'succeeded';
      artifact: ImageBuildArtifact;
      step: PipelineStepResult;
    }
  | {
      status: 'failed';
      reason: ImageBuildFailureReason;
      /** Fit to show with the run: buildah's last lines, never credentials. */
      message: string;
      /** Absent when nothing ran (`invalid_request`). */
      step?: PipelineStepResult;
    };

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAIL_LINES = 8;
/** What the script notes in `failed` when a buildah command fails. */
const PHASE_COMMANDS: Record<string, string> = {
  build: 'buildah bud',
  push: 'buildah push',
};

/** Keeps the last lines the step wrote, to say why it failed. */
function tailKeeper(sink: PipelineLogSink) {
  let text = '';
  const wrapped: PipelineLogSink = (chunk: PipelineLogChunk) => {
    if (chunk.stream !== 'system') {
      text = (text + chunk.text).slice(-8192);
    }
    return sink(chunk);
  };
  const tail = () =>
    text
      .split('\n')
      .map(line => line.trim())
      .filter(Boolean)
      .slice(-TAIL_LINES)
      .join('\n');
  return { wrapped, tail };
}

/**
 * Builds an image stage with buildah and pushes it, as one step run by the
 * executor in the run's workspace (see {@link planImageBuild}), and reads the
 * pushed digest back from the step's outputs.
 *
 * @public
 */
export async function runImageBuild(options: {
  executor: PipelineExecutor;
  workspace: PipelineWorkspace;
  /** The step's id, e.g. `<stage>.image`. */
  stepId: string;
  attempt?: number;
  spec: ImageBuildSpec;
  /** Default: the workspace's commit. */
  commit?: string;
  /** Default: the workspace's component. */
  component?: string;
  registry?: ImageRegistryConfig;
  timeoutMs?: number;
  log: PipelineLogSink;
  signal?: AbortSignal;
}): Promise<ImageBuildOutcome> {
  const { executor, workspace } = options;
  let plan;
  try {
    const commit = options.commit ?? workspace.repository?.commit;
    if (!commit) {
      throw new Error('commit: the workspace has no commit and none was given');
    }
    plan = planImageBuild({
      spec: options.spec,
      commit,
      component: options.component ?? workspace.component,
      registry: options.registry,
    });
  } catch (error) {
    return {
      status: 'failed',
      reason: 'invalid_request',
      message: `Image build refused: ${(error as Error).message}`,
    };
  }

  const { wrapped, tail } = tailKeeper(options.log);
  const step = await executor.runStep({
    workspace,
    stepId: options.stepId,
    attempt: options.attempt,
    command: plan.command,
    env: plan.env,
    timeoutMs: options.timeoutMs,
    log: wrapped,
    signal: options.signal,
  });

  if (step.reason !== 'exited') {
    return {
      status: 'failed',
      reason: step.reason,
      message: `Image build stopped: ${step.message ?? step.reason}`,
      step,
    };
  }
  if (step.exitCode !== 0) {
    const phase = step.outputs.failed;
    const what = PHASE_COMMANDS[phase] ?? 'the image build';
    return {
      status: 'failed',
      reason: phase === 'push' ? 'push_failed' : 'build_failed',
      message: `${what} failed (exit code ${step.exitCode}):\n${tail()}`,
      step,
    };
  }

  const digests = plan.tags.map((_, index) => step.outputs[`digest_${index}`]);
  const digest = digests[0];
  if (!digest || !DIGEST.test(digest) || digests.some(d => d !== digest)) {
    return {
      status: 'failed',
      reason: 'push_failed',
      message: `The push reported no single digest for ${
        plan.repository
      } (got ${digests.map(d => d ?? 'none').join(', ')})`,
      step,
    };
  }
  return {
    status: 'succeeded',
    artifact: {
      image: plan.references[0],
      repository: plan.repository,
      tags: plan.tags,
      digest,
    },
    step,
  };
}
