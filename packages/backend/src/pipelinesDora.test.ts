/**
 * GET /dora through a real backend: the pipelines plugin beside the real
 * environments backend (deployments made and reported through its API, as
 * a pipeline, a person and an external CD system make them), the real
 * catalog, on both databases. Runs are written into the pipelines tables as
 * the engine leaves them, with creation times in the past, so lead times
 * are days long. Permissions come from a stand-in that denies
 * `pipelines.run.read` on one component: the platform policy lets everyone
 * read runs, and the filter is what is under test.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  bearerFor,
  testMemberships,
  userInfoWithMemberships,
  waitForStitchedComponent,
} from '@internal/platform-backend-test-utils';
// The real environments backend in the same test backend: the figures are
// computed from the API the route calls, not a stand-in.
import environmentsPlugin from '@internal/plugin-environments-backend';
import pipelinesPlugin from '@internal/plugin-pipelines-backend';
import { PipelinesClient } from '@internal/plugin-pipelines-common';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import request from 'supertest';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PAYMENTS = 'component:default/payments-api';
const ORDERS = 'component:default/orders-api';
const SECRET = 'component:default/secret-api';
const STOREFRONT = 'component:default/storefront';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const HOUR = 3600 * 1000;

/** Allows everything but reading the runs of secret-api. */
const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[]) {
      return requests.map(r => ({
        result:
          isResourcePermission(r.permission) &&
          r.permission.name === 'pipelines.run.read' &&
          r.resourceRef === SECRET
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }),
});

describe.each(databases.eachSupportedId())('GET /dora on %s', databaseId => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  const knexes = new Map<string, Knex>();

  /** Each plugin its own database, the pipelines one kept for seeding. */
  const database = createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const knex = await databases.init(databaseId);
      knexes.set(plugin.getId(), knex);
      return { getClient: async () => knex };
    },
  });

  const user = (name: string) => ({
    get: (path: string) =>
      request(server).get(`/api${path}`).set('Authorization', bearerFor(name)),
    post: (path: string, body: object = {}) =>
      request(server)
        .post(`/api${path}`)
        .set('Authorization', bearerFor(name))
        .send(body),
  });
  const ada = user('ada');
  const priya = user('priya');
  /** The pipelines plugin's own token, as its deploy stages call. */
  const pipelinesService = {
    post: (path: string, body: object) =>
      request(server)
        .post(`/api${path}`)
        .set(
          'Authorization',
          `Bearer ${mockCredentials.service.token({
            onBehalfOf: mockCredentials.service('plugin:pipelines'),
            targetPluginId: 'environments',
          })}`,
        )
        .send(body),
  };

  /**
   * Deploys the image `digestOf` built and reports the outcome; by the
   * pipelines plugin's deploy stage when a pipeline run is named, else by hand.
   */
  async function deploy(
    component: string,
    environment: string,
    digestOf: string,
    outcome: 'succeeded' | 'failed',
    pipelineRun?: string,
  ) {
    const body = {
      component,
      environment,
      version: `1.0.${digestOf}`,
      artifact: {
        image: 'registry.example.com/app:1',
        digest: digest(digestOf),
      },
      ...(pipelineRun ? { pipelineRun } : {}),
    };
    const created = pipelineRun
      ? await pipelinesService.post('/environments/deployments', body)
      : await ada.post('/environments/deployments', body);
    expect(created.status).toBe(201);
    await report(created.body.id, outcome);
    return created.body.id as string;
  }

  async function report(id: string, status: 'succeeded' | 'failed') {
    const res = await ada.post(`/environments/deployments/${id}/status`, {
      status,
    });
    expect(res.status).toBe(200);
  }

  let runNumber = 0;
  /** A finished run of payments-api as the engine leaves it, on main unless told. */
  async function seedRun(run: {
    id: string;
    status: string;
    branch?: string;
    createdAt: Date;
    finishedAt: Date;
    deliveryId?: number;
    imageDigest?: string;
  }) {
    const branch = run.branch ?? 'main';
    const db = knexes.get('pipelines')!;
    await db('runs').insert({
      id: run.id,
      component: PAYMENTS,
      number: ++runNumber,
      branch,
      ref: `refs/heads/${branch}`,
      trigger: JSON.stringify({ type: 'push', branch }),
      delivery_id: run.deliveryId ?? null,
      status: run.status,
      attempt: 1,
      created_at: run.createdAt,
      started_at: run.createdAt,
      finished_at: run.finishedAt,
    });
    if (run.imageDigest) {
      await db('artifacts').insert({
        run_id: run.id,
        attempt: 1,
        stage: 'image',
        type: 'image',
        reference: 'registry.example.com/app:1',
        digest: run.imageDigest,
        tags: JSON.stringify(['1']),
        created_at: run.finishedAt,
      });
    }
  }

  beforeAll(async () => {
    const catalogFiles = createMockDirectory({
      content: {
        'catalog.yaml': ['payments-api', 'orders-api', 'secret-api']
          .map(
            name => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: ${name} }
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
`,
          )
          .concat(
            `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: storefront }
spec: { type: service, lifecycle: production, owner: group:default/team-storefront }
`,
            ...['team-payments', 'team-storefront', 'platform-admins'].map(
              name => `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: ${name} }
spec: { type: team, children: [] }
`,
            ),
          )
          .join('---\n'),
      },
    });
    const environment = (name: string, promotionOrder: number) => ({
      name,
      tier: name === 'dev' ? 'development' : 'production',
      promotionOrder,
      owner: 'group:default/platform-admins',
      target: { type: 'external' },
    });
    const backend = await startTestBackend({
      features: [
        pipelinesPlugin,
        environmentsPlugin,
        catalogPlugin,
        eventsServiceFactory,
        permissions,
        userInfoWithMemberships(testMemberships),
        database,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            events: { useEventBus: 'never' },
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              locations: [
                { type: 'file', target: catalogFiles.resolve('catalog.yaml') },
              ],
            },
            environments: {
              initial: [environment('dev', 10), environment('production', 30)],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
    await waitForStitchedComponent(server, 'secret-api');

    const now = Date.now();
    const hoursAgo = (hours: number) => new Date(now - hours * HOUR);
    const db = knexes.get('pipelines')!;
    const [{ id: deliveryId }] = await db('deliveries')
      .insert({
        provider: 'github',
        delivery_id: 'd-1',
        event: 'push',
        status: 'matched',
        repository: 'acme/payments-api',
        repository_key: 'acme/payments-api',
        default_branch: 'main',
        ref: 'refs/heads/main',
        payload_digest: `sha256:${'0'.repeat(64)}`,
        received_at: new Date(now - 6 * 24 * HOUR),
      })
      .returning('id');
    // A failed run on the default branch five days ago, restored by the
    // first production deployment below; one on a feature branch, which
    // breaks nothing.
    await seedRun({
      id: 'run-failed',
      status: 'failed',
      createdAt: hoursAgo(5 * 24 + 1),
      finishedAt: hoursAgo(5 * 24),
      deliveryId,
    });
    await seedRun({
      id: 'run-feature',
      status: 'failed',
      branch: 'feature',
      createdAt: hoursAgo(4 * 24),
      finishedAt: hoursAgo(4 * 24 - 1),
    });
    await seedRun({
      id: 'run-1',
      status: 'succeeded',
      createdAt: hoursAgo(48),
      finishedAt: hoursAgo(47),
      imageDigest: digest('1'),
    });
    await seedRun({
      id: 'run-2',
      status: 'succeeded',
      createdAt: hoursAgo(26),
      finishedAt: hoursAgo(25),
      imageDigest: digest('2'),
    });
    await seedRun({
      id: 'run-4',
      status: 'succeeded',
      createdAt: hoursAgo(3),
      finishedAt: hoursAgo(2),
      imageDigest: digest('4'),
    });

    // payments-api into production:
    // run-1's image by the pipeline, run-2's by hand (found by its digest),
    await deploy(PAYMENTS, 'production', '1', 'succeeded', 'run-1');
    await deploy(PAYMENTS, 'production', '2', 'succeeded');
    // an image no run built fails, run-2's again restores,
    await deploy(PAYMENTS, 'production', '3', 'failed');
    await deploy(PAYMENTS, 'production', '2', 'succeeded');
    // run-4's image by the pipeline, then rolled back.
    await deploy(PAYMENTS, 'production', '4', 'succeeded', 'run-4');
    const rollback = await ada.post('/environments/rollbacks', {
      component: PAYMENTS,
      environment: 'production',
    });
    if (rollback.status !== 201) {
      throw new Error(`rollback refused: ${JSON.stringify(rollback.body)}`);
    }
    await report(rollback.body.id, 'succeeded');
    // Elsewhere: dev, another component of the team, one the caller may not
    // read, and another team's.
    await deploy(PAYMENTS, 'dev', '1', 'succeeded');
    await deploy(ORDERS, 'production', '5', 'succeeded');
    await deploy(SECRET, 'production', '6', 'failed');
    await deploy(STOREFRONT, 'production', '7', 'succeeded');
  });

  afterAll(async () => {
    await stopBackend?.();
  });

  it("gives a component's figures in production over the last 90 days", async () => {
    const res = await priya.get('/pipelines/dora?component=payments-api');
    expect(res.status).toBe(200);
    const figures = res.body;
    expect(figures.environment).toBe('production');
    expect(figures.components).toEqual([PAYMENTS]);
    expect(figures.truncated).toEqual([]);
    const days =
      (Date.parse(figures.to) - Date.parse(figures.from)) / (24 * HOUR);
    expect(days).toBeCloseTo(90);
    expect(figures.weeks.length).toBeGreaterThanOrEqual(13);
    expect(figures.weeks.length).toBeLessThanOrEqual(14);

    // Four delivered: 1, 2, 2 again and 4 (rolled back); the rollback is no
    // change.
    expect(figures.deploymentFrequency.deployments).toBe(4);
    expect(figures.deploymentFrequency.perWeek).toBeCloseTo((4 / 90) * 7);
    expect(figures.deploymentFrequency.band).toBe('medium');
    // Lead times 48 h, 26 h, 26 h, 3 h: median 26 h.
    expect(figures.leadTime.samples).toBe(4);
    expect(figures.leadTime.withoutRun).toBe(0);
    expect(figures.leadTime.medianSeconds / 3600).toBeCloseTo(26, 1);
    expect(figures.leadTime.band).toBe('high');
    // Failed: the failed one and the rolled-back one, of five.
    expect(figures.changeFailureRate).toEqual({
      failed: 2,
      total: 5,
      rate: 0.4,
      band: 'low',
    });
    // Restored: the default-branch failure after five days, the failed
    // deployment and the rolled-back one within the test's seconds.
    expect(figures.timeToRestore.restored).toBe(3);
    expect(figures.timeToRestore.open).toBe(0);
    expect(figures.timeToRestore.medianSeconds).toBeLessThan(60);
    expect(figures.timeToRestore.band).toBe('elite');

    const busy = figures.weeks.filter((w: any) => w.deployments > 0);
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({
      deployments: 4,
      changes: 5,
      failedChanges: 2,
    });
    const sum = (key: string) =>
      figures.weeks.reduce((n: number, w: any) => n + w[key], 0);
    expect(sum('restored')).toBe(3);
  });

  it('counts the environment asked for', async () => {
    const res = await priya.get(
      `/pipelines/dora?component=${PAYMENTS}&environment=dev`,
    );
    expect(res.status).toBe(200);
    expect(res.body.deploymentFrequency.deployments).toBe(1);
    // Deployed by hand, found by the image run-1 built.
    expect(res.body.leadTime.samples).toBe(1);
    expect(res.body.changeFailureRate).toMatchObject({ failed: 0, total: 1 });
    // The failed default-branch run is restored by the dev deployment.
    expect(res.body.timeToRestore.restored).toBe(1);

    const none = await priya.get(
      `/pipelines/dora?component=${PAYMENTS}&environment=staging`,
    );
    expect(none.status).toBe(200);
    expect(none.body.deploymentFrequency).toEqual({
      deployments: 0,
      perWeek: 0,
    });
    expect(none.body.timeToRestore).toEqual({ restored: 0, open: 1 });
  });

  it("gives a team's figures over the components it owns that the caller may read", async () => {
    const res = await priya.get('/pipelines/dora?owner=team-payments');
    expect(res.status).toBe(200);
    expect(res.body.components).toEqual([ORDERS, PAYMENTS]);
    expect(res.body.deploymentFrequency.deployments).toBe(5);
    expect(res.body.leadTime).toMatchObject({ samples: 4, withoutRun: 1 });
    // secret-api's failed deployment is not counted.
    expect(res.body.changeFailureRate).toMatchObject({ failed: 2, total: 6 });

    const other = await priya.get(
      '/pipelines/dora?owner=group:default/team-storefront',
    );
    expect(other.body.components).toEqual([STOREFRONT]);
    expect(other.body.deploymentFrequency.deployments).toBe(1);
  });

  it('honours the window', async () => {
    const res = await priya.get(
      `/pipelines/dora?component=payments-api&from=2025-01-01&to=2025-03-01`,
    );
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2025-01-01T00:00:00.000Z');
    expect(res.body.to).toBe('2025-03-01T00:00:00.000Z');
    expect(res.body.deploymentFrequency.deployments).toBe(0);
    expect(res.body.changeFailureRate).toEqual({ failed: 0, total: 0 });
    expect(res.body.weeks[0].start).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses a component the caller may not read, and bad queries', async () => {
    const denied = await priya.get('/pipelines/dora?component=secret-api');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'pipelines.run.read on component:default/secret-api',
    );
    for (const query of [
      '',
      '?component=payments-api&owner=team-payments',
      '?component=payments-api&from=yesterday',
      '?component=payments-api&from=2026-02-01&to=2026-01-01',
      '?component=payments-api&from=2020-01-01&to=2026-01-01',
      '?component=group:default/team-payments',
    ]) {
      const res = await priya.get(`/pipelines/dora${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
    const anonymous = await request(server)
      .get('/api/pipelines/dora?component=payments-api')
      .set('Authorization', 'Bearer not-a-token');
    expect(anonymous.status).toBe(401);
  });

  it('is called by PipelinesClient', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new PipelinesClient({
      discoveryApi: {
        getBaseUrl: async pluginId =>
          `http://127.0.0.1:${port}/api/${pluginId}`,
      },
    });
    const options = { token: mockCredentials.user.token('user:default/priya') };
    const figures = await client.getDoraFigures(
      { owner: 'group:default/team-payments', environment: 'production' },
      options,
    );
    expect(figures.components).toEqual([ORDERS, PAYMENTS]);
    expect(figures.deploymentFrequency.deployments).toBe(5);
    await expect(
      client.getDoraFigures({ component: 'secret-api' }, options),
    ).rejects.toMatchObject({ response: { status: 403 } });
  });
});
