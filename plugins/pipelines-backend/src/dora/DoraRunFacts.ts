import { RunStore } from '../store/RunStore';
import { DoraFailedRun, DoraRun } from './doraFigures';

/** A run, known by component, as DORA figures need it. */
export type DoraRunOf = DoraRun & { component: string };

/** What the DORA figures read from the run store. */
export type DoraRunReads = Pick<
  RunStore,
  | 'listByIds'
  | 'listFinished'
  | 'listArtifactsByDigest'
  | 'lastKnownDefaultBranch'
>;

/**
 * What the DORA figures read about runs: the runs deployments came from,
 * and the failed runs on default branches.
 */
export class DoraRunFacts {
  constructor(private readonly runs: DoraRunReads) {}

  /** Runs by id. */
  async runsById(ids: string[]): Promise<Map<string, DoraRunOf>> {
    const found = new Map<string, DoraRunOf>();
    for (const run of await this.runs.listByIds(ids)) {
      found.set(run.id, {
        id: run.id,
        component: run.component,
        createdAt: run.createdAt,
      });
    }
    return found;
  }

  /**
   * For each image digest a run of the components pushed, the earliest such
   * run: a promoted deployment carries the image, not the run that built it.
   * Keyed by `<component> <digest>`.
   */
  async runsByDigest(
    components: string[],
    digests: string[],
  ): Promise<Map<string, DoraRunOf>> {
    const found = new Map<string, DoraRunOf>();
    const artifacts = await this.runs.listArtifactsByDigest({
      components,
      digests,
    });
    const runs = await this.runsById(artifacts.map(a => a.runId));
    for (const artifact of artifacts) {
      const run = runs.get(artifact.runId);
      // Deleted between the two reads, with its artifacts.
      if (!run) continue;
      const key = `${run.component} ${artifact.digest}`;
      const known = found.get(key);
      if (!known || run.createdAt < known.createdAt) found.set(key, run);
    }
    return found;
  }

  /**
   * Failed runs of the components that finished in `[from, to)` on their
   * default branch: the one its webhook named, and for runs started by hand
   * the one the component's latest webhook named. Runs of components no
   * webhook has named a default branch for are left out.
   */
  async failedDefaultBranchRuns(
    components: string[],
    from: Date,
    to: Date,
  ): Promise<DoraFailedRun[]> {
    const runs = await this.runs.listFinished({
      components,
      status: 'failed',
      from,
      to,
    });
    const latestDefault = new Map<string, Promise<string | undefined>>();
    const defaultOf = (component: string) => {
      if (!latestDefault.has(component)) {
        latestDefault.set(
          component,
          this.runs.lastKnownDefaultBranch(component),
        );
      }
      return latestDefault.get(component)!;
    };
    const failed: DoraFailedRun[] = [];
    for (const run of runs) {
      const defaultBranch =
        run.defaultBranch ?? (await defaultOf(run.component));
      if (run.branch && run.branch === defaultBranch) {
        failed.push({
          id: run.id,
          component: run.component,
          finishedAt: run.finishedAt!,
        });
      }
    }
    return failed;
  }
}
