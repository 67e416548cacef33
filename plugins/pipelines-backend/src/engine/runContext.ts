import { LoggerService } from '@backstage/backend-plugin-api';
import {
  PipelineDefinition,
  StepStatus,
} from '@internal/plugin-pipelines-common';
import {
  ImageRegistryConfig,
  PipelineExecutor,
  PipelineLogChunk,
} from '@internal/plugin-pipelines-node';
import { ArtifactRecord } from '../store/ArtifactStore';
import { RunStore } from '../store/RunStore';
import { StepRunRecord, StepRunStore } from '../store/StepRunStore';
import { DeploymentHandOff } from './environmentsHandOff';

/** The reason a run gets when the engine that ran it stopped holding it. */
export const INTERRUPTED_REASON = 'interrupted by a backend restart';

/** What a run's execution needs around it. */
export type RunExecutionContext = {
  store: RunStore;
  executor: PipelineExecutor;
  logger: LoggerService;
  /** The most log chunks kept per step run. */
  maxLogChunks: number;
  /** Aborted when the run is cancelled or the engine loses its lease. */
  signal: AbortSignal;
  /** Why `signal` was aborted, read when it is. */
  abortReason: () => string;
  /** Aborts `signal` with a reason (the run's own timeout). */
  abort: (reason: string) => void;
  /** The component's `spec.type`, for the default pipeline. */
  componentType?: string;
  /** The repository's default branch, for stage conditions. */
  defaultBranch?: string;
  /** Receives each step as it starts and ends (for CDEvents). */
  onStep?: (
    event: 'started' | 'finished',
    step: StepRunRecord,
    finished?: {
      status: StepStatus;
      exitCode?: number | null;
      reason?: string;
    },
  ) => void;
  /** The registry image stages push to (`pipelines.images.registry`). */
  imageRegistry?: ImageRegistryConfig;
  /** Receives each artifact a stage recorded (for CDEvents). */
  onArtifact?: (artifact: ArtifactRecord, repository: string) => void;
  /** The Environments plugin's deployments, for deploy stages. */
  deployments?: DeploymentHandOff;
  /** How long a deploy stage waits for each deployment to end. */
  deployTimeoutMs: number;
  /** Receives the run's definition once it is loaded, whether or not its triggers take the run. */
  onDefinition?: (definition: PipelineDefinition) => Promise<void>;
  /** Where to clone a repository from, given its address (`pipelines.git.rewrites`). */
  cloneUrlFor?: (url: string) => string;
};

/** Appends what an executor writes to a step run's log, up to `max` chunks. */
export function logSink(
  store: Pick<StepRunStore, 'appendLog'>,
  stepRunId: number,
  max: number,
) {
  let open = true;
  return async (chunk: PipelineLogChunk) => {
    if (!open) return;
    open = await store.appendLog(
      stepRunId,
      { stream: chunk.stream, text: chunk.text, at: chunk.timestamp },
      max,
    );
  };
}
