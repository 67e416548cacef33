import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  bearerFor,
  FakeKubernetesApiServer,
} from '@internal/platform-backend-test-utils';
import environmentsPlugin from '@internal/plugin-environments-backend';
import kubernetesDeployer from '@internal/plugin-environments-backend-module-kubernetes';
import kubernetesModuleEnvironmentClusters from '@internal/plugin-kubernetes-backend-module-environment-clusters';
import request from 'supertest';
import { eventually } from './__testUtils__/eventually';
import {
  platformTestConfig,
  startPlatformTestBackend,
} from './__testUtils__/platformTestBackend';

const catalogFiles = createMockDirectory({
  content: {
    'catalog.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    backstage.io/kubernetes-id: payments-api
spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
`,
  },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

// Each test starts a whole backend (catalog, permissions, environments,
// Kubernetes) and waits for a rollout.
jest.setTimeout(60_000);

/** Up to 10 seconds for the catalog, a rollout or the cluster list. */
const RETRIES = 100;

describe('environment clusters in the Kubernetes plugin', () => {
  let fake: FakeKubernetesApiServer;

  beforeEach(async () => {
    fake = await FakeKubernetesApiServer.start();
  });
  afterEach(() => fake.stop());

  async function start() {
    const connection = {
      url: fake.url,
      serviceAccountToken: fake.token,
      caData: fake.caData,
    };
    const { server } = await startPlatformTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      features: [
        environmentsPlugin,
        kubernetesDeployer,
        kubernetesPlugin,
        kubernetesModuleEnvironmentClusters,
        mockServices.rootConfig.factory({
          data: {
            ...platformTestConfig({
              kinds: ['Component'],
              files: [catalogFiles.resolve('catalog.yaml')],
            }),
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              // A cluster of the plugin's own configuration, which must stay.
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'configured',
                      authProvider: 'serviceAccount',
                      ...connection,
                    },
                  ],
                },
              ],
            },
            environments: {
              kubernetes: {
                clusters: [
                  { name: 'local', title: 'Local cluster', ...connection },
                  { name: 'other', ...connection },
                  { name: 'unused', ...connection },
                ],
                rolloutTimeout: '10s',
              },
              initial: [
                {
                  name: 'dev',
                  tier: 'development',
                  promotionOrder: 10,
                  owner: 'group:default/platform-admins',
                  target: {
                    type: 'kubernetes',
                    cluster: 'local',
                    namespacePattern: '{component}-{environment}',
                  },
                },
                {
                  name: 'external-staging',
                  tier: 'staging',
                  promotionOrder: 20,
                  owner: 'group:default/platform-admins',
                  target: { type: 'external' },
                },
              ],
            },
          },
        }),
      ],
    });
    // Wait for the catalog to have processed the component.
    await eventually(
      () =>
        request(server)
          .get('/api/catalog/entities/by-name/component/default/payments-api')
          .set('Authorization', bearerFor('ada')),
      res => res.status === 200,
      RETRIES,
    );
    return server;
  }

  it('shows the workloads deployed through the environments API', async () => {
    const server = await start();

    const clusters = await request(server)
      .get('/api/kubernetes/clusters')
      .set('Authorization', bearerFor('priya'));
    expect(clusters.status).toBe(200);
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual([
      'configured',
      'local',
    ]);
    expect(JSON.stringify(clusters.body)).not.toContain(fake.token);

    const created = await request(server)
      .post('/api/environments/deployments')
      .set('Authorization', bearerFor('priya'))
      .send({
        component: 'component:default/payments-api',
        environment: 'dev',
        version: '1.4.0',
        artifact: {
          image: 'registry.local/payments-api:1.4.0',
          digest: `sha256:${'ab'.repeat(32)}`,
        },
      });
    expect(created.status).toBe(201);
    expect(created.body.deployer).toBe('kubernetes');
    const finished = await eventually(
      () =>
        request(server)
          .get(
            '/api/environments/deployments?component=component:default/payments-api',
          )
          .set('Authorization', bearerFor('priya')),
      res => ['succeeded', 'failed'].includes(res.body.items?.[0]?.status),
      RETRIES,
    );
    expect(finished.body.items[0]).toMatchObject({
      id: created.body.id,
      status: 'succeeded',
      message: expect.stringContaining(
        "in namespace 'payments-api-dev' of cluster 'local'",
      ),
    });

    // What the Kubernetes tab of the component page asks for.
    const workloads = await request(server)
      .post('/api/kubernetes/resources/workloads/query')
      .set('Authorization', bearerFor('priya'))
      .send({ entityRef: 'component:default/payments-api', auth: {} });
    expect(workloads.status).toBe(200);
    const local = workloads.body.items.find(
      (item: { cluster: { name: string } }) => item.cluster.name === 'local',
    );
    expect(local.cluster).toMatchObject({
      name: 'local',
      title: 'Local cluster',
    });
    expect(local.errors).toEqual([]);
    const resources = Object.fromEntries(
      local.resources.map((r: { type: string; resources: unknown[] }) => [
        r.type,
        r.resources,
      ]),
    );
    expect(resources.deployments).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          name: 'payments-api',
          namespace: 'payments-api-dev',
        }),
        status: expect.objectContaining({ availableReplicas: 1 }),
      }),
    ]);
    expect(resources.pods).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({
          namespace: 'payments-api-dev',
          labels: expect.objectContaining({
            'backstage.io/kubernetes-id': 'payments-api',
          }),
        }),
        status: expect.objectContaining({ phase: 'Running' }),
      }),
    ]);
    expect(resources.services).toHaveLength(1);
    expect(resources.horizontalpodautoscalers).toEqual([]);
    // The plugin's own cluster is still asked too.
    expect(
      workloads.body.items.map(
        (i: { cluster: { name: string } }) => i.cluster.name,
      ),
    ).toEqual(expect.arrayContaining(['configured', 'local']));
  });

  it('follows environments created later, through their events', async () => {
    const server = await start();
    const clustersNow = () =>
      request(server)
        .get('/api/kubernetes/clusters')
        .set('Authorization', bearerFor('priya'));
    // Read once, so that what follows comes from the events, not the first read.
    expect((await clustersNow()).body.items).toHaveLength(2);

    const unknown = await request(server)
      .post('/api/environments/environments')
      .set('Authorization', bearerFor('ada'))
      .send({
        name: 'elsewhere',
        tier: 'development',
        promotionOrder: 10,
        owner: 'group:default/platform-admins',
        target: {
          type: 'kubernetes',
          cluster: 'nowhere',
          namespacePattern: '{component}',
        },
      });
    // Nothing could deploy there: refused, naming the configured clusters.
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      "target.cluster 'nowhere' is not a cluster in environments.kubernetes.clusters (configured: local, other, unused)",
    );
    const created = await request(server)
      .post('/api/environments/environments')
      .set('Authorization', bearerFor('ada'))
      .send({
        name: 'staging',
        tier: 'staging',
        promotionOrder: 20,
        owner: 'group:default/platform-admins',
        target: {
          type: 'kubernetes',
          cluster: 'other',
          namespacePattern: '{component}-staging',
        },
      });
    expect(created.status).toBe(201);
    const clusters = await eventually(
      clustersNow,
      res => res.body.items?.length === 3,
      RETRIES,
    );
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual([
      'configured',
      'local',
      'other',
    ]);
  });
});
