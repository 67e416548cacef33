import { PipelineStageOutline } from '@internal/plugin-pipelines-common';
import { RunRecord } from './RunQueueStore';

/**
 * What a run builds from, as its execution learns it: the commit its
 * checkout resolved, the pipeline definition it loaded, and the default
 * branch of its component.
 */
export interface RunSourceStore {
  /**
   * Records the commit a run's checkout resolved its branch to, for runs
   * started without one (by hand): what it built, and what a re-run builds
   * again. A commit once recorded never changes.
   */
  setCommit(id: string, commit: string): Promise<void>;
  /** Records where the running run's definition came from, and its stages. */
  setDefinition(
    id: string,
    source: NonNullable<RunRecord['definitionSource']>,
    stages: PipelineStageOutline[],
  ): Promise<void>;
  /**
   * The default branch the component's latest webhook named (its runs keep
   * it), for runs started by hand, which no webhook describes. The one
   * lookup of a component's default branch beyond its source location, for
   * the engine's stage conditions, manual runs and the DORA figures alike.
   */
  lastKnownDefaultBranch(component: string): Promise<string | undefined>;
}
