import { PipelineStageOutline } from '@internal/plugin-pipelines-common';
import { Knex } from 'knex';
import { RunRecord } from './RunQueueStore';
import { RunSourceStore } from './RunSourceStore';

/** What a run builds from, in columns of the `runs` table. */
export class DatabaseRunSourceStore implements RunSourceStore {
  constructor(private readonly db: Knex) {}

  async setCommit(id: string, commit: string): Promise<void> {
    await this.db('runs')
      .where({ id })
      .whereNull('commit_sha')
      .update({ commit_sha: commit });
  }

  async setDefinition(
    id: string,
    source: NonNullable<RunRecord['definitionSource']>,
    stages: PipelineStageOutline[],
  ): Promise<void> {
    await this.db('runs')
      .where({ id })
      .update({ definition_source: source, stages: JSON.stringify(stages) });
  }

  async lastKnownDefaultBranch(component: string): Promise<string | undefined> {
    // A run keeps its delivery's default branch (`runs.default_branch`);
    // runs queued before that column existed have it only on their
    // delivery, while the delivery is kept.
    const row: { run: string | null; delivery: string | null } | undefined =
      await this.db('runs')
        .leftJoin('deliveries', 'deliveries.id', 'runs.delivery_id')
        .where('runs.component', component)
        .where(q =>
          q
            .whereNotNull('runs.default_branch')
            .orWhereNotNull('deliveries.default_branch'),
        )
        .orderBy([
          { column: 'runs.created_at', order: 'desc' },
          { column: 'runs.id', order: 'desc' },
        ])
        .first({
          run: 'runs.default_branch',
          delivery: 'deliveries.default_branch',
        });
    return row?.run ?? row?.delivery ?? undefined;
  }
}
