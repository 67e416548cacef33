import { toIso } from '@internal/platform-node';
import { Knex } from 'knex';
import { DoraFailedRun, DoraRun } from './doraFigures';

type Timestamp = Date | string | number;

/** Well under SQLite's bound-parameter limit. */
const CHUNK = 400;

function chunks<T>(values: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    out.push(values.slice(i, i + CHUNK));
  }
  return out;
}

/** A run, known by component, as DORA figures need it. */
export type DoraRunOf = DoraRun & { component: string };

/**
 * What the DORA figures read from this plugin's tables: the runs deployments
 * came from, and the failed runs on default branches. Reads only; the run
 * store owns the tables and their migrations.
 */
export class DoraRunFacts {
  constructor(private readonly db: Knex) {}

  /** Runs by id. */
  async runsById(ids: string[]): Promise<Map<string, DoraRunOf>> {
    const found = new Map<string, DoraRunOf>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db<{
        id: string;
        component: string;
        created_at: Timestamp;
      }>('runs')
        .select('id', 'component', 'created_at')
        .whereIn('id', part);
      for (const row of rows) {
        found.set(row.id, {
          id: row.id,
          component: row.component,
          createdAt: toIso(row.created_at),
        });
      }
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
    if (components.length === 0) return found;
    for (const part of chunks([...new Set(digests)])) {
      const rows = await this.db('artifacts')
        .join('runs', 'runs.id', 'artifacts.run_id')
        .select(
          'artifacts.digest as digest',
          'runs.id as id',
          'runs.component as component',
          'runs.created_at as created_at',
        )
        .whereIn('runs.component', components)
        .whereIn('artifacts.digest', part);
      for (const row of rows as Array<{
        digest: string;
        id: string;
        component: string;
        created_at: Timestamp;
      }>) {
        const key = `${row.component} ${row.digest}`;
        const createdAt = toIso(row.created_at);
        const known = found.get(key);
        if (!known || createdAt < known.createdAt) {
          found.set(key, { id: row.id, component: row.component, createdAt });
        }
      }
    }
    return found;
  }

  /**
   * Failed runs of the components that finished in `[from, to)` on their
   * default branch: the one its webhook delivery named, and for runs started
   * by hand the one the component's latest delivery named. Runs of
   * components no delivery has named a default branch for are left out.
   */
  async failedDefaultBranchRuns(
    components: string[],
    from: Date,
    to: Date,
  ): Promise<DoraFailedRun[]> {
    if (components.length === 0) return [];
    const rows = (await this.db('runs')
      .leftJoin('deliveries', 'deliveries.id', 'runs.delivery_id')
      .select(
        'runs.id as id',
        'runs.component as component',
        'runs.branch as branch',
        'runs.finished_at as finished_at',
        'deliveries.default_branch as default_branch',
      )
      .whereIn('runs.component', components)
      .where('runs.status', 'failed')
      .where('runs.finished_at', '>=', from)
      .where('runs.finished_at', '<', to)) as Array<{
      id: string;
      component: string;
      branch: string | null;
      finished_at: Timestamp;
      default_branch: string | null;
    }>;
    const latestDefault = new Map<string, string | undefined>();
    const defaultOf = async (component: string) => {
      if (!latestDefault.has(component)) {
        const row = await this.db('runs')
          .join('deliveries', 'deliveries.id', 'runs.delivery_id')
          .select('deliveries.default_branch as default_branch')
          .where('runs.component', component)
          .whereNotNull('deliveries.default_branch')
          .orderBy('runs.created_at', 'desc')
          .first();
        latestDefault.set(component, row?.default_branch ?? undefined);
      }
      return latestDefault.get(component);
    };
    const failed: DoraFailedRun[] = [];
    for (const row of rows) {
      const defaultBranch =
        row.default_branch ?? (await defaultOf(row.component));
      if (row.branch && row.branch === defaultBranch) {
        failed.push({
          id: row.id,
          component: row.component,
          finishedAt: toIso(row.finished_at),
        });
      }
    }
    return failed;
  }
}
