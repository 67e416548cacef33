import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { bearerFor } from '@internal/platform-backend-test-utils';
import catalogModuleEnvironments from '@internal/plugin-catalog-backend-module-environments';
import environmentsPlugin from '@internal/plugin-environments-backend';
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
spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
`,
  },
});

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'environments in the catalog on %s',
  databaseId => {
    it('provides each environment as a Resource, related to what runs there, and follows changes', async () => {
      const { server } = await startPlatformTestBackend({
        databases,
        databaseId,
        features: [
          environmentsPlugin,
          catalogModuleEnvironments,
          mockServices.rootLogger.factory({ level: 'warn' }),
          mockServices.rootConfig.factory({
            data: {
              ...platformTestConfig({
                kinds: ['Component', 'Resource'],
                files: [catalogFiles.resolve('catalog.yaml')],
                catalog: {
                  // Only changes should refresh within the test's time.
                  providers: {
                    environments: {
                      schedule: {
                        frequency: { hours: 1 },
                        timeout: { minutes: 1 },
                      },
                    },
                  },
                },
              }),
              app: { baseUrl: 'http://localhost:3000' },
              environments: {
                initial: [
                  {
                    name: 'dev',
                    title: 'Development',
                    tier: 'development',
                    promotionOrder: 10,
                    owner: 'group:default/platform-admins',
                    target: { type: 'external' },
                  },
                ],
              },
            },
          }),
        ],
      });
      const as = (user: string) => ({
        get: (path: string) =>
          request(server).get(path).set('Authorization', bearerFor(user)),
        post: (path: string, body: object) =>
          request(server)
            .post(path)
            .set('Authorization', bearerFor(user))
            .send(body),
      });
      const resource = (name: string) =>
        as('otto').get(
          `/api/catalog/entities/by-name/resource/default/${name}`,
        );

      const dev = await eventually(
        () => resource('dev'),
        res => res.status === 200,
      );
      expect(dev.body).toMatchObject({
        kind: 'Resource',
        metadata: {
          name: 'dev',
          title: 'Development',
          tags: ['development'],
          annotations: { 'launchpad.dev/environment': 'dev' },
        },
        spec: {
          type: 'environment',
          owner: 'group:default/platform-admins',
          dependencyOf: [],
        },
      });

      // A component is deployed: the environment becomes its dependency.
      await eventually(
        () =>
          as('ada').get(
            '/api/catalog/entities/by-name/component/default/payments-api',
          ),
        res => res.status === 200,
      );
      const deployed = await as('priya').post('/api/environments/deployments', {
        component: 'component:default/payments-api',
        environment: 'dev',
        version: '1.4.0',
        artifact: {
          image: 'registry.local/payments-api:1.4.0',
          digest: `sha256:${'ab'.repeat(32)}`,
        },
      });
      expect(deployed.status).toBe(201);
      await as('priya').post(
        `/api/environments/deployments/${deployed.body.id}/status`,
        { status: 'succeeded' },
      );
      const related = await eventually(
        () => resource('dev'),
        res =>
          (res.body.relations ?? []).some(
            (r: { type: string }) => r.type === 'dependencyOf',
          ),
      );
      expect(related.body.spec.dependencyOf).toEqual([
        'component:default/payments-api',
      ]);
      expect(related.body.relations).toEqual(
        expect.arrayContaining([
          {
            type: 'dependencyOf',
            targetRef: 'component:default/payments-api',
          },
          { type: 'ownedBy', targetRef: 'group:default/platform-admins' },
        ]),
      );

      // A new environment appears; a deleted one disappears.
      const created = await as('ada').post('/api/environments/environments', {
        name: 'qa',
        tier: 'staging',
        promotionOrder: 15,
        owner: 'group:default/team-payments',
        target: { type: 'external' },
        protected: false,
      });
      expect(created.status).toBe(201);
      const qa = await eventually(
        () => resource('qa'),
        res => res.status === 200,
      );
      expect(qa.body.spec.owner).toBe('group:default/team-payments');
      const deleted = await request(server)
        .delete('/api/environments/environments/qa')
        .set('Authorization', bearerFor('ada'));
      expect(deleted.status).toBe(204);
      const gone = await eventually(
        () => resource('qa'),
        res => res.status === 404,
      );
      expect(gone.status).toBe(404);
    });
  },
);
