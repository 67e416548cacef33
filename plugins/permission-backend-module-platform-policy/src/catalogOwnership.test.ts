import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  authServiceWithActors,
  bearerFor,
  testMemberships,
  userInfoWithMemberships,
} from '@internal/platform-backend-test-utils';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { permissionModulePlatformPolicy } from './module';

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: group:default/team-payments
`;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'catalog mutations under the platform policy on %s',
  databaseId => {
    const dir = createMockDirectory({ content: { 'entities.yaml': entities } });

    async function startCatalog() {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          permissionPlugin,
          permissionModulePlatformPolicy,
          userInfoWithMemberships(testMemberships),
          authServiceWithActors,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              catalog: {
                rules: [{ allow: ['Component'] }],
                locations: [
                  { type: 'file', target: dir.resolve('entities.yaml') },
                ],
              },
            },
          }),
        ],
      });
      return server;
    }

    async function waitForEntity(server: Parameters<typeof request>[0]) {
      let last = '';
      for (let attempt = 0; attempt < 100; attempt++) {
        const res = await request(server)
          .get('/api/catalog/entities/by-name/component/default/payments-api')
          .set('Authorization', bearerFor('otto'));
        if (res.status === 200) return res.body;
        last = `${res.status} ${res.text}`;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      throw new Error(`payments-api never appeared in the catalog: ${last}`);
    }

    it('refuses a change by a user outside the owning team and allows the team and admins', async () => {
      const server = await startCatalog();
      const entity = await waitForEntity(server);
      const refresh = (user: string) =>
        request(server)
          .post('/api/catalog/refresh')
          .set('Authorization', bearerFor(user))
          .send({ entityRef: 'component:default/payments-api' });

      expect((await refresh('otto')).status).toBe(403);
      expect((await refresh('priya')).status).toBe(200);
      expect((await refresh('ada')).status).toBe(200);

      const outsiderDelete = await request(server)
        .delete(`/api/catalog/entities/by-uid/${entity.metadata.uid}`)
        .set('Authorization', bearerFor('otto'));
      expect(outsiderDelete.status).toBe(403);
      await waitForEntity(server);

      const adminDelete = await request(server)
        .delete(`/api/catalog/entities/by-uid/${entity.metadata.uid}`)
        .set('Authorization', bearerFor('ada'));
      expect(adminDelete.status).toBe(204);
    }, 60_000);
  },
);
