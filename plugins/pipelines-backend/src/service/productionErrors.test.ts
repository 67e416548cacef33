/**
 * What an error body carries in production: Backstage's error handler
 * decides on stack traces from NODE_ENV when the backend starts
 * (`MiddlewareFactory.error()`, shown only in development), so the backend
 * is started with NODE_ENV=production and failing requests are looked at.
 */
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  bearerFor,
  testMemberships,
  userInfoWithMemberships,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import { Knex } from 'knex';
import request from 'supertest';
import { pipelinesPlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** A stack frame, a source file, a dependency's folder or SQL text. */
const INTERNALS =
  /"stack"|\bat .+:\d+:\d+|\.(ts|js)\b|node_modules|\bselect\b.+\bfrom\b/i;

async function startWith(nodeEnv: string, knex: Knex) {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return await startTestBackend({
      features: [
        pipelinesPlugin,
        permissionPlugin,
        platformPolicy,
        eventsServiceFactory,
        userInfoWithMemberships(testMemberships),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
  } finally {
    process.env.NODE_ENV = before;
  }
}

describe.each(databases.eachSupportedId())(
  'error bodies in production on %s',
  databaseId => {
    it('carry no stack trace, source path or SQL, even for a failure inside', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startWith('production', knex);
      const { server } = backend;
      const get = (path: string) =>
        request(server)
          .get(`/api/pipelines${path}`)
          .set('Authorization', bearerFor('ada'));
      try {
        const refused = [
          await get('/runs?limit=1e309'),
          await get('/runs?offset=10801738270437959680'),
          await get('/runs/00000000-0000-4000-8000-000000000000'),
          await request(server)
            .put('/api/pipelines/runs')
            .set('Authorization', bearerFor('ada')),
          await request(server)
            .post('/api/pipelines/runs')
            .set('Authorization', bearerFor('ada'))
            .send({ component: '\t...' }),
        ];
        expect(refused.map(r => r.status)).toEqual([400, 400, 404, 405, 400]);

        // A failure no input can cause: the table is gone.
        await knex.schema.renameTable('runs', 'runs_elsewhere');
        const broken = await get('/runs');
        await knex.schema.renameTable('runs_elsewhere', 'runs');
        expect(broken.status).toBe(500);
        expect(broken.body.error.message).toMatch(
          /^An internal error occurred logId=[0-9a-f]{20}$/,
        );

        for (const res of [...refused, broken]) {
          expect(Object.keys(res.body).sort()).toEqual([
            'error',
            'request',
            'response',
          ]);
          expect(JSON.stringify(res.body)).not.toMatch(INTERNALS);
        }
      } finally {
        await backend.stop();
      }
    });

    it('in development do carry the stack, which the check above would see', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startWith('development', knex);
      const { server } = backend;
      try {
        const res = await request(server)
          .get('/api/pipelines/runs?limit=0')
          .set('Authorization', bearerFor('ada'));
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toMatch(INTERNALS);
      } finally {
        await backend.stop();
      }
    });
  },
);
