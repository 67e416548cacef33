import { LoggerService } from '@backstage/backend-plugin-api';
import { PipelineExecutor } from '@internal/plugin-pipelines-node';
import { StoredWorkspace, WorkspaceStore } from '../store/WorkspaceStore';

/**
 * Releases the workspaces the store still keeps for runs that no engine
 * releases any more: runs whose engine died, and runs whose engine could
 * not release or forget their workspace before it stopped. Each goes to the
 * executor that prepared it; a failure is logged and the workspace stays
 * stored, to be tried again at the next sweep.
 */
export class WorkspaceRelease {
  constructor(
    private readonly options: {
      store: WorkspaceStore;
      /** The installed executors by id. */
      executor: (id: string) => PipelineExecutor | undefined;
      logger: LoggerService;
    },
  ) {}

  /** Releases the stored workspaces of these runs, whatever their status. */
  async releaseOf(runIds: string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.releaseAll(() => this.options.store.listWorkspaces(runIds));
  }

  /** Releases the stored workspaces of every run that is not running. */
  async releaseUnheld(): Promise<void> {
    await this.releaseAll(() => this.options.store.listWorkspaces());
  }

  private async releaseAll(
    list: () => Promise<StoredWorkspace[]>,
  ): Promise<void> {
    let stored: StoredWorkspace[];
    try {
      stored = await list();
    } catch (error) {
      this.options.logger.error(
        `Could not read the workspaces left to release: ${error}`,
      );
      return;
    }
    for (const entry of stored) await this.release(entry);
  }

  private async release({ runId, workspace }: StoredWorkspace): Promise<void> {
    const { store, logger } = this.options;
    const executor = this.options.executor(workspace.executor);
    if (!executor) {
      // Kept, so that it is released once that executor is back.
      logger.warn(
        `Workspace ${workspace.id} of run ${runId} was prepared by the pipeline executor '${workspace.executor}', which is not installed: it is not released`,
      );
      return;
    }
    try {
      await executor.releaseWorkspace(workspace);
      await store.clearWorkspace(runId, workspace);
      logger.info(
        `Released workspace ${workspace.id} (${workspace.executor}) of run ${runId}, which its engine did not release`,
      );
    } catch (error) {
      logger.error(
        `Could not release workspace ${workspace.id} (${workspace.executor}) of run ${runId}: ${error}`,
      );
    }
  }
}
