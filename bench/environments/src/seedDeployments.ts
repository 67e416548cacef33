import { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { BENCH_USER } from './catalogEntities';

/** One in this many seeded deployments failed; the rest succeeded. */
const FAILURE_EVERY = 7;
/** Time between two deployments of a component to one environment. */
const SPACING_MS = 6 * 60 * 60 * 1000;
/** Rows per INSERT: 16 columns x 500 stays far below both engines' limits. */
const BATCH = 500;

/** What seeding wrote, and how long it took (not part of the figures). */
export interface SeedSummary {
  deployments: number;
  heads: number;
  seconds: number;
}

/**
 * Writes the deployment history straight into the environments plugin's
 * tables, in the shape DatabaseDeploymentStore writes it: every deployment
 * finished (succeeded, or failed one time in seven), linked to the latest
 * succeeded one before it, and per component and environment a head row
 * naming the latest deployment and the live one. None is left in flight,
 * so that the deploy writes of the measurement never meet a 409.
 *
 * This is seeding, not measurement: 240,000 deployments through the API
 * would take hours and measure nothing the benchmark reports.
 */
export async function seedDeployments(
  db: Knex,
  options: {
    components: string[];
    environments: string[];
    perPair: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SeedSummary> {
  const started = Date.now();
  const { components, environments, perPair } = options;
  const total = components.length * environments.length * perPair;
  const now = Date.now();
  let written = 0;
  let heads = 0;
  let rows: object[] = [];
  let headRows: object[] = [];

  // One transaction per 5,000 deployments: fast, and short enough that the
  // running backend is not locked out of its SQLite file for long (on
  // SQLite a waiting query blocks the backend's event loop).
  const flush = async () => {
    await db.transaction(async tx => {
      for (const [table, values] of [
        ['deployments', rows],
        ['deployment_heads', headRows],
      ] as const) {
        for (let i = 0; i < values.length; i += BATCH) {
          await tx(table).insert(values.slice(i, i + BATCH));
        }
      }
    });
    written += rows.length;
    heads += headRows.length;
    rows = [];
    headRows = [];
    options.onProgress?.(written, total);
  };

  for (const component of components) {
    const name = component.slice(component.indexOf('/') + 1);
    for (const environment of environments) {
      let live: string | null = null;
      let latest = '';
      for (let k = 0; k < perPair; k++) {
        const id = randomUUID();
        // The first one succeeds, so that every pair has something live.
        const failed = k > 0 && (k + name.length) % FAILURE_EVERY === 0;
        const createdAt = new Date(now - (perPair - k) * SPACING_MS);
        const version = `1.${k}.0`;
        const byPipeline = k % 3 !== 0;
        rows.push({
          id,
          component,
          environment,
          version,
          image: `registry.example.com/launchpad/${name}:${version}`,
          digest: `sha256:${createHash('sha256')
            .update(`${component}@${version}`)
            .digest('hex')}`,
          status: failed ? 'failed' : 'succeeded',
          message: failed ? 'Rollout did not become ready in time' : null,
          trigger: JSON.stringify(
            byPipeline
              ? {
                  type: 'pipeline',
                  pipelineRun: `run-${name}-${k}`,
                  service: 'plugin:pipelines',
                }
              : { type: 'user', user: BENCH_USER },
          ),
          deployer: 'external',
          previous_deployment_id: live,
          rollback_of: null,
          created_at: createdAt,
          started_at: new Date(createdAt.getTime() + 5_000),
          finished_at: new Date(createdAt.getTime() + 90_000),
        });
        latest = id;
        if (!failed) live = id;
      }
      headRows.push({
        component,
        environment,
        latest_deployment_id: latest,
        live_deployment_id: live,
      });
      if (rows.length >= 10 * BATCH) await flush();
    }
  }
  await flush();

  return {
    deployments: written,
    heads,
    seconds: (Date.now() - started) / 1000,
  };
}
