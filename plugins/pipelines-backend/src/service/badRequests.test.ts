/**
 * Inputs the pipelines API must refuse with a 4xx naming what is wrong, and
 * that once got a 500 (or went through): on a real backend, with nothing
 * changed by the refused request.
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
import { pushRun } from '../__testUtils__/testRunStore';
import { pipelinesPlugin } from '../plugin';
import { DatabaseDeliveryStore } from '../store/DatabaseDeliveryStore';
import { createPipelinesStores } from '../store/pipelinesStores';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const RUNS = 120;

/** What an error body may hold: Backstage's shape, and nothing more. */
function expectErrorBody(body: any, statusCode: number, message: RegExp) {
  expect(Object.keys(body).sort()).toEqual(['error', 'request', 'response']);
  expect(Object.keys(body.error).sort()).toEqual(['message', 'name']);
  expect(body.error.message).toMatch(message);
  expect(body.response).toEqual({ statusCode });
  // No stack, no source file, no SQL.
  expect(JSON.stringify(body)).not.toMatch(
    /\bat .+:\d+:\d+|\.(ts|js):\d+|node_modules|\bselect\b.+\bfrom\b/i,
  );
}

describe.each(databases.eachSupportedId())(
  'pipelines API bad requests on %s',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startTestBackend({
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
      server = backend.server;
      stop = () => backend.stop();
      // More runs and deliveries than a page may hold.
      const { runs } = await createPipelinesStores({
        database: mockServices.database({ knex }),
      });
      const deliveries = new DatabaseDeliveryStore(knex);
      for (let n = 1; n <= RUNS; n++) {
        await runs.enqueue(pushRun({ deliveryId: n }));
        await deliveries.record({
          provider: 'github',
          deliveryId: `d-${n}`,
          event: 'push',
          status: 'ignored',
          components: [],
          payloadDigest: `sha256:${String(n).padStart(64, '0')}`,
          receivedAt: new Date(Date.UTC(2026, 11, 1, 10, 0, n)),
        });
      }
    });

    afterAll(() => stop?.());

    // ada is a platform admin: every permission is granted, so what is
    // refused is refused for the input.
    const get = (path: string) =>
      request(server)
        .get(`/api/pipelines${path}`)
        .set('Authorization', bearerFor('ada'));
    const post = (path: string) =>
      request(server)
        .post(`/api/pipelines${path}`)
        .set('Authorization', bearerFor('ada'));
    const runCount = async () =>
      Number((await knex('runs').count({ n: '*' }))[0].n);

    it('bounds offset and limit, and Infinity or 1e309 does not lift the page cap', async () => {
      const cases: Array<[string, RegExp]> = [
        [
          '/runs?offset=10801738270437959680',
          /^request\/query\/offset must be <= 1000000$/,
        ],
        ['/runs?offset=1000001', /^request\/query\/offset must be <= 1000000/],
        ['/runs?offset=-1', /^request\/query\/offset must be >= 0/],
        ['/runs?limit=1e309', /^request\/query\/limit must be integer$/],
        ['/runs?limit=Infinity', /^request\/query\/limit must be integer$/],
        ['/runs?limit=101', /^request\/query\/limit must be <= 100/],
        ['/deliveries?limit=1e309', /^request\/query\/limit must be integer$/],
        [
          '/deliveries?limit=Infinity',
          /^request\/query\/limit must be integer$/,
        ],
        [
          '/deliveries/99999999999',
          /^request\/params\/id must be <= 2147483647/,
        ],
        ['/deliveries/Infinity', /^request\/params\/id must be integer$/],
        [
          '/runs/00000000-0000-4000-8000-000000000000/steps/build/logs?after=1e309',
          /^request\/query\/after must be integer$/,
        ],
        [
          '/runs/00000000-0000-4000-8000-000000000000/steps/build/logs?attempt=3000000000',
          /^request\/query\/attempt must be <= 2147483647/,
        ],
      ];
      for (const [path, message] of cases) {
        const res = await get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expectErrorBody(res.body, 400, message);
      }
      expect((await get('/runs')).body.items).toHaveLength(20);
      expect((await get('/runs?limit=100')).body.items).toHaveLength(100);
      expect((await get('/runs?limit=100&offset=100')).body.items).toHaveLength(
        RUNS - 100,
      );
      expect((await get('/deliveries?limit=100')).body.items).toHaveLength(100);
    });

    it('refuses a component that is not an entity ref before asking the catalog, and queues nothing', async () => {
      const before = await runCount();
      const cases: Array<[string, RegExp]> = [
        ['\t...', /^request\/body\/component must match pattern/],
        ['user:default/ada', /^request\/body\/component must match pattern/],
        [
          'a'.repeat(64),
          /^component 'a+' has name 'a+', which is not a catalog entity name/,
        ],
      ];
      for (const [component, message] of cases) {
        const res = await post('/runs').send({ component });
        expect({ component, status: res.status }).toEqual({
          component,
          status: 400,
        });
        expectErrorBody(res.body, 400, message);
      }
      const query = await get('/runs?component=%09...');
      expect(query.status).toBe(400);
      expectErrorBody(
        query.body,
        400,
        /^request\/query\/component must match pattern/,
      );
      expect(await runCount()).toBe(before);
    });

    it('refuses DORA parameters the Environments API would refuse, rather than handing on its error', async () => {
      for (const query of [
        'component=payments-api&environment=%00',
        'owner=group:default/team-payments&environment=Prod',
      ]) {
        const res = await get(`/dora?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expectErrorBody(
          res.body,
          400,
          /^request\/query\/environment must match pattern/,
        );
      }
      const owner = await get('/dora?owner=group:default/team%20payments');
      expect(owner.status).toBe(400);
      expectErrorBody(
        owner.body,
        400,
        /^request\/query\/owner must match pattern/,
      );
    });

    it('answers 405 with Allow, 415 and 413, and queues nothing', async () => {
      const before = await runCount();
      const put = await request(server)
        .put('/api/pipelines/runs')
        .set('Authorization', bearerFor('ada'))
        .send({ component: 'payments-api' });
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, POST');
      expectErrorBody(put.body, 405, /^PUT is not allowed on \/runs/);
      const del = await request(server)
        .delete('/api/pipelines/deliveries/1')
        .set('Authorization', bearerFor('ada'));
      expect(del.status).toBe(405);
      expect(del.headers.allow).toBe('GET');

      const text = await post('/runs')
        .set('Content-Type', 'text/plain')
        .send('component=payments-api');
      expect(text.status).toBe(415);
      expectErrorBody(text.body, 415, /^Content-Type 'text\/plain' is not/);
      const large = await post('/runs').send({
        component: 'payments-api',
        branch: 'x'.repeat(300 * 1024),
      });
      expect(large.status).toBe(413);
      expectErrorBody(large.body, 413, /^request body is larger than 256kb/);
      const broken = await post('/runs')
        .set('Content-Type', 'application/json')
        .send('{"component":');
      expect(broken.status).toBe(400);
      expectErrorBody(broken.body, 400, /^request body is not valid JSON/);
      expect(await runCount()).toBe(before);
    });
  },
);
