import { ArtifactStore } from './ArtifactStore';
import { RunQueueStore } from './RunQueueStore';
import { RunSourceStore } from './RunSourceStore';
import { StepRunStore } from './StepRunStore';
import { WorkspaceStore } from './WorkspaceStore';

/**
 * Everything the run engine and the run routes keep about runs, by concern:
 * the queue and its claims, what a run builds from, its step runs and logs,
 * its artifacts and its workspace. Parts of the engine that need one
 * concern take that narrower store.
 */
export interface RunStore
  extends RunQueueStore,
    RunSourceStore,
    StepRunStore,
    ArtifactStore,
    WorkspaceStore {}
