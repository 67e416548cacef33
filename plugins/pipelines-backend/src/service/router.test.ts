import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  bearerFor,
  testMemberships,
  userInfoWithMemberships,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import { PipelinesClient } from '@internal/plugin-pipelines-common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { pipelinesPlugin } from '../plugin';
import { DatabaseDeliveryStore } from '../store/DatabaseDeliveryStore';
import { NewDelivery } from '../store/DeliveryStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const commit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const delivery = (
  n: number,
  overrides: Partial<NewDelivery> = {},
): NewDelivery => ({
  provider: 'github',
  deliveryId: `d-${n}`,
  event: 'push',
  status: 'matched',
  repository: { slug: 'launchpad-examples/payments-api' },
  ref: 'refs/heads/main',
  commit,
  components: ['component:default/payments-api'],
  trigger: { type: 'push', branch: 'main', commit },
  payloadDigest: `sha256:${String(n).padStart(64, '0')}`,
  receivedAt: new Date(Date.UTC(2026, 11, 1, 10, n)),
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'deliveries API on %s',
  databaseId => {
    async function start() {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
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
      // The plugin has migrated the database; write deliveries beside it.
      const store = new DatabaseDeliveryStore(knex);
      for (let n = 1; n <= 4; n++) await store.record(delivery(n));
      await store.record(
        delivery(5, {
          status: 'unmatched',
          reason: 'no component in the catalog has the annotation ...',
          repository: { slug: 'someone/Unknown' },
          components: [],
        }),
      );
      const get = (path: string, auth = bearerFor('otto')) =>
        request(server).get(`/api/pipelines${path}`).set('Authorization', auth);
      return { server, get };
    }

    it('needs a user or service token on every route', async () => {
      const { server, get } = await start();
      for (const path of ['/deliveries', '/deliveries/1']) {
        const res = await request(server)
          .get(`/api/pipelines${path}`)
          .set('Authorization', mockCredentials.none.header());
        expect(res.status).toBe(401);
      }
      const asService = await get(
        '/deliveries',
        mockCredentials.service.header(),
      );
      expect(asService.status).toBe(200);
    });

    it('lists deliveries newest first, filtered and in pages', async () => {
      const { get } = await start();
      const all = await get('/deliveries');
      expect(all.status).toBe(200);
      expect(all.body.items.map((d: any) => d.deliveryId)).toEqual([
        'd-5',
        'd-4',
        'd-3',
        'd-2',
        'd-1',
      ]);
      expect(all.body.nextCursor).toBeUndefined();

      const ids = async (query: string) =>
        (await get(`/deliveries?${query}`)).body.items.map(
          (d: any) => d.deliveryId,
        );
      expect(await ids('status=unmatched')).toEqual(['d-5']);
      expect(await ids('repository=SOMEONE/unknown')).toEqual(['d-5']);
      // A component by full ref, or by name in the default namespace.
      expect(
        await ids('component=component:default/payments-api'),
      ).toHaveLength(4);
      expect(await ids('component=payments-api&status=matched')).toHaveLength(
        4,
      );
      expect(await ids('component=refunds-worker')).toEqual([]);

      const first = await get('/deliveries?limit=2');
      expect(first.body.items.map((d: any) => d.deliveryId)).toEqual([
        'd-5',
        'd-4',
      ]);
      const second = await get(
        `/deliveries?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((d: any) => d.deliveryId)).toEqual([
        'd-3',
        'd-2',
      ]);
    });

    it('answers 400 naming the parameter at fault', async () => {
      const { get } = await start();
      const cases: Array<[string, RegExp]> = [
        ['status=lost', /status/],
        ['limit=0', /limit/],
        ['limit=101', /limit/],
        ['cursor=nonsense', /cursor 'nonsense' is not one this API gave/],
        // The spec's ComponentInput pattern: a component's ref or name.
        [
          'component=user:default/ada',
          /^request\/query\/component must match pattern/,
        ],
        [
          'component=component:',
          /^request\/query\/component must match pattern/,
        ],
        // Past the pattern, the catalog's own rules (componentRefOf).
        [`component=${'a'.repeat(64)}`, /which is not a catalog entity name/],
      ];
      for (const [query, message] of cases) {
        const res = await get(`/deliveries?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error.message).toMatch(message);
      }
      const notANumber = await get('/deliveries/abc');
      expect(notANumber.status).toBe(400);
    });

    it('gives one delivery, and 404 for an unknown id', async () => {
      const { get } = await start();
      const [newest] = (await get('/deliveries?limit=1')).body.items;
      const one = await get(`/deliveries/${newest.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(newest);
      const missing = await get('/deliveries/99999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('No delivery with id 99999');
    });

    it('serves the client in pipelines-common', async () => {
      const { server } = await start();
      const { port } = server.address() as AddressInfo;
      const client = new PipelinesClient({
        discoveryApi: {
          getBaseUrl: async pluginId =>
            `http://127.0.0.1:${port}/api/${pluginId}`,
        },
      });
      const options = {
        token: mockCredentials.user.token('user:default/otto'),
      };
      const page = await client.listDeliveries(
        { component: 'component:default/payments-api', limit: 3 },
        options,
      );
      expect(page.items.map(d => d.deliveryId)).toEqual(['d-4', 'd-3', 'd-2']);
      const rest = await client.listDeliveries(
        {
          component: 'component:default/payments-api',
          cursor: page.nextCursor,
        },
        options,
      );
      expect(rest.items.map(d => d.deliveryId)).toEqual(['d-1']);
      await expect(
        client.getDelivery(page.items[0].id, options),
      ).resolves.toEqual(page.items[0]);
      const error = await client.getDelivery(99999, options).catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.response.status).toBe(404);
    });
  },
);
