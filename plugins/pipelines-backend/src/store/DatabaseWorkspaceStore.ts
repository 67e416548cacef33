import { RunStatus } from '@internal/plugin-pipelines-common';
import { PipelineWorkspace } from '@internal/plugin-pipelines-node';
import { Knex } from 'knex';
import { RunRow } from './runRows';
import { StoredWorkspace, WorkspaceStore } from './WorkspaceStore';

/** A stored workspace, or undefined when the value is not one. */
function parseWorkspace(value: string): PipelineWorkspace | undefined {
  try {
    const workspace = JSON.parse(value);
    return typeof workspace?.id === 'string' &&
      typeof workspace?.executor === 'string'
      ? workspace
      : undefined;
  } catch {
    // Not JSON: not a workspace either, which the callers handle.
    return undefined;
  }
}

/** Workspaces in the `runs.workspace` column, as JSON. */
export class DatabaseWorkspaceStore implements WorkspaceStore {
  constructor(private readonly db: Knex) {}

  async setWorkspace(id: string, workspace: PipelineWorkspace): Promise<void> {
    await this.db('runs')
      .where({ id })
      .update({ workspace: JSON.stringify(workspace) });
  }

  async clearWorkspace(
    id: string,
    workspace: PipelineWorkspace,
  ): Promise<void> {
    const row = await this.db<RunRow>('runs').where({ id }).first('workspace');
    if (!row?.workspace) return;
    const stored = parseWorkspace(row.workspace);
    if (
      stored &&
      (stored.id !== workspace.id || stored.executor !== workspace.executor)
    ) {
      return;
    }
    // Conditional on the value read: one stored meanwhile stays.
    await this.db('runs')
      .where({ id, workspace: row.workspace })
      .update({ workspace: null });
  }

  async listWorkspaces(runIds?: string[]): Promise<StoredWorkspace[]> {
    const query = this.db<RunRow>('runs').whereNotNull('workspace');
    if (runIds) {
      if (runIds.length === 0) return [];
      query.whereIn('id', runIds);
    } else {
      query.whereNot({ status: 'running' });
    }
    const rows = await query
      .orderBy('id', 'asc')
      .select('id', 'status', 'workspace');
    const stored: StoredWorkspace[] = [];
    for (const row of rows) {
      const workspace = parseWorkspace(row.workspace!);
      if (workspace) {
        stored.push({
          runId: row.id,
          status: row.status as RunStatus,
          workspace,
        });
      } else {
        // No executor could release it: tried at every sweep, forever.
        await this.db('runs')
          .where({ id: row.id, workspace: row.workspace })
          .update({ workspace: null });
      }
    }
    return stored;
  }
}
