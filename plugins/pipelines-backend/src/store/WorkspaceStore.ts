import { RunStatus } from '@internal/plugin-pipelines-common';
import { PipelineWorkspace } from '@internal/plugin-pipelines-node';

/** A workspace an executor prepared for a run and was not released yet. */
export type StoredWorkspace = {
  runId: string;
  /** The run's status when it was read. */
  status: RunStatus;
  workspace: PipelineWorkspace;
};

/**
 * The workspaces executors prepared for runs, kept until they are released
 * so that they are released even if the engine holding the run dies first.
 */
export interface WorkspaceStore {
  /** Keeps the workspace an executor prepared for the run. */
  setWorkspace(id: string, workspace: PipelineWorkspace): Promise<void>;
  /**
   * Forgets a run's workspace once it was released. Only that workspace: a
   * later attempt's workspace stored meanwhile stays.
   */
  clearWorkspace(id: string, workspace: PipelineWorkspace): Promise<void>;
  /**
   * The workspaces not released yet of the given runs, or, without ids, of
   * every run no engine runs (a running run's workspace is its holder's).
   * A value that is not a workspace is left out and cleared.
   */
  listWorkspaces(runIds?: string[]): Promise<StoredWorkspace[]>;
}
