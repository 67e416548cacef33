import { randomBytes } from 'node:crypto';
import {
  Deployment,
  DeploymentHead,
} from '@internal/plugin-environments-common';
import { BenchClient, pick } from '@internal/bench-shared';

/** What one execution of an operation measured: named timings in ms. */
export interface OperationResult {
  timings: Record<string, number>;
  /** Size of the response body of the main request, in bytes. */
  bytes: number;
}

/** Something the benchmark times, run by one of `workers` clients. */
export interface Operation {
  name: string;
  run(worker: number, workers: number): Promise<OperationResult>;
}

/** What the operations work on. */
export interface OperationContext {
  client: BenchClient;
  /** Every seeded component. */
  components: string[];
  /** Components the signed-in user's teams own, which they may deploy. */
  deployable: string[];
  /** Every environment. */
  environments: string[];
  /** The environments a team member may deploy into (not protected). */
  deployTargets: string[];
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * The four operations the benchmark reports:
 *
 * - `matrix`: the deployment matrix of one random component
 *   (`GET /deployments/current?component=`), one row per environment;
 * - `environment`: what runs in one random environment
 *   (`GET /deployments/current?environment=`), one row per component;
 * - `deployWrite`: a deploy (`POST /deployments`) and the status report that
 *   finishes it (`POST /deployments/{id}/status`), each also timed alone;
 * - `catalogQuery`: the catalog's `POST /entities/by-query` for the first
 *   page of 50 components by name, as the catalog table asks for it.
 */
export function createOperations(ctx: OperationContext): Operation[] {
  const { client } = ctx;
  const pairs = ctx.deployable.flatMap(component =>
    ctx.deployTargets.map(environment => ({ component, environment })),
  );
  // Each concurrent client deploys its own share of the pairs: one
  // deployment per component and environment may be in flight, and a 409
  // would measure the conflict, not a deploy.
  const shares = new Map<number, typeof pairs>();
  const shareOf = (worker: number, workers: number) => {
    const key = worker * 1000 + workers;
    let share = shares.get(key);
    if (!share) {
      share = pairs.filter((_, i) => i % workers === worker);
      shares.set(key, share);
    }
    return share;
  };
  let versions = 0;

  return [
    {
      name: 'matrix',
      async run() {
        const component = pick(ctx.components);
        const res = await client.send(
          'GET',
          `/api/environments/deployments/current?component=${encodeURIComponent(
            component,
          )}`,
        );
        expectStatus(res, 200, 'matrix read');
        const { items } = JSON.parse(res.body) as { items: DeploymentHead[] };
        if (items.length !== ctx.environments.length) {
          throw new Error(
            `The matrix of ${component} has ${items.length} rows, expected ${ctx.environments.length}`,
          );
        }
        return { timings: { matrix: res.ms }, bytes: byteLength(res.body) };
      },
    },
    {
      name: 'environment',
      async run() {
        const environment = pick(ctx.environments);
        const res = await client.send(
          'GET',
          `/api/environments/deployments/current?environment=${encodeURIComponent(
            environment,
          )}`,
        );
        expectStatus(res, 200, 'environment-wide read');
        const { items } = JSON.parse(res.body) as { items: DeploymentHead[] };
        if (items.length !== ctx.components.length) {
          throw new Error(
            `Environment ${environment} lists ${items.length} components, expected ${ctx.components.length}`,
          );
        }
        return {
          timings: { environment: res.ms },
          bytes: byteLength(res.body),
        };
      },
    },
    {
      name: 'deployWrite',
      async run(worker, workers) {
        const { component, environment } = pick(shareOf(worker, workers));
        versions += 1;
        const version = `2.${versions}.0`;
        const name = component.slice(component.indexOf('/') + 1);
        const deploy = await client.send(
          'POST',
          '/api/environments/deployments',
          {
            component,
            environment,
            version,
            artifact: {
              image: `registry.example.com/launchpad/${name}:${version}`,
              digest: `sha256:${randomBytes(32).toString('hex')}`,
            },
          },
        );
        expectStatus(deploy, 201, 'deploy');
        const { id } = JSON.parse(deploy.body) as Deployment;
        const report = await client.send(
          'POST',
          `/api/environments/deployments/${id}/status`,
          { status: 'succeeded' },
        );
        expectStatus(report, 200, 'status report');
        const finished = JSON.parse(report.body) as Deployment;
        if (finished.status !== 'succeeded') {
          throw new Error(`Deployment ${id} is ${finished.status}`);
        }
        return {
          timings: {
            deployWrite: deploy.ms + report.ms,
            deploy: deploy.ms,
            report: report.ms,
          },
          bytes: byteLength(deploy.body),
        };
      },
    },
    {
      name: 'catalogQuery',
      async run() {
        const res = await client.send(
          'POST',
          '/api/catalog/entities/by-query',
          {
            query: { kind: 'component' },
            orderBy: [{ field: 'metadata.name', order: 'asc' }],
            limit: 50,
          },
        );
        expectStatus(res, 200, 'catalog by-query');
        const { items } = JSON.parse(res.body) as { items: unknown[] };
        if (items.length !== Math.min(50, ctx.components.length)) {
          throw new Error(`by-query returned ${items.length} entities`);
        }
        return {
          timings: { catalogQuery: res.ms },
          bytes: byteLength(res.body),
        };
      },
    },
  ];
}

function expectStatus(
  res: { status: number; body: string },
  expected: number,
  what: string,
) {
  if (res.status !== expected) {
    throw new Error(
      `The ${what} answered ${
        res.status
      }, expected ${expected}: ${res.body.slice(0, 500)}`,
    );
  }
}
