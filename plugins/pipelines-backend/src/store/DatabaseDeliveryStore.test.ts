import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { resolve as resolvePath } from 'node:path';
import { NewDelivery } from './DeliveryStore';
import { createPipelinesStores } from './pipelinesStores';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const commit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

function push(overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    provider: 'github',
    deliveryId: 'd-1',
    event: 'push',
    status: 'matched',
    repository: {
      slug: 'Launchpad-Examples/payments-api',
      url: 'https://github.com/Launchpad-Examples/payments-api',
      defaultBranch: 'main',
    },
    ref: 'refs/heads/main',
    commit,
    author: 'priya',
    sender: 'priya',
    components: ['component:default/Payments-API'],
    trigger: { type: 'push', branch: 'main', commit },
    payloadDigest: `sha256:${'ab'.repeat(32)}`,
    receivedAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDeliveryStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const { deliveries: store } = await createPipelinesStores({
        database: mockServices.database({ knex }),
      });
      return { store, knex };
    }

    it('records a delivery and reads it back', async () => {
      const { store } = await createStore();
      const result = await store.record(push());
      expect(result).toEqual({
        type: 'recorded',
        delivery: {
          id: expect.any(Number),
          provider: 'github',
          deliveryId: 'd-1',
          event: 'push',
          status: 'matched',
          repository: {
            slug: 'Launchpad-Examples/payments-api',
            url: 'https://github.com/Launchpad-Examples/payments-api',
            defaultBranch: 'main',
          },
          ref: 'refs/heads/main',
          commit,
          author: 'priya',
          sender: 'priya',
          components: ['component:default/payments-api'],
          trigger: { type: 'push', branch: 'main', commit },
          payloadDigest: `sha256:${'ab'.repeat(32)}`,
          receivedAt: '2026-12-01T10:00:00.000Z',
          redeliveries: 0,
        },
      });
      await expect(store.get(result.delivery.id)).resolves.toEqual(
        result.delivery,
      );
    });

    it('records a redelivery as a duplicate of the first, never a second record', async () => {
      const { store, knex } = await createStore();
      const first = await store.record(push());
      const again = await store.record(
        push({
          receivedAt: new Date('2026-12-01T10:05:00Z'),
          status: 'unmatched',
          components: [],
        }),
      );
      expect(again.type).toBe('duplicate');
      expect(again.delivery).toEqual({
        ...first.delivery,
        redeliveries: 1,
        lastRedeliveredAt: '2026-12-01T10:05:00.000Z',
      });
      const third = await store.record(push());
      expect(third.delivery.redeliveries).toBe(2);
      const [{ n }] = await knex('deliveries').count({ n: '*' });
      expect(Number(n)).toBe(1);
      // The same id from the other provider is another delivery.
      expect((await store.record(push({ provider: 'gitlab' }))).type).toBe(
        'recorded',
      );
    });

    it('keeps one record when the same delivery arrives twice at once', async () => {
      const { store, knex } = await createStore();
      const results = await Promise.all(
        [1, 2, 3].map(() => store.record(push({ deliveryId: 'race' }))),
      );
      expect(results.map(r => r.type).sort()).toEqual([
        'duplicate',
        'duplicate',
        'recorded',
      ]);
      const [{ n }] = await knex('deliveries').count({ n: '*' });
      expect(Number(n)).toBe(1);
      expect((await store.get(results[0].delivery.id)).redeliveries).toBe(2);
    });

    it('records what came without repository or trigger', async () => {
      const { store } = await createStore();
      const { delivery } = await store.record({
        provider: 'gitlab',
        deliveryId: 'sha256:00',
        event: 'push',
        status: 'rejected',
        reason: 'project.path_with_namespace: expected string',
        components: [],
        payloadDigest: 'sha256:00',
        receivedAt: new Date(),
      });
      expect(delivery).toEqual({
        id: expect.any(Number),
        provider: 'gitlab',
        deliveryId: 'sha256:00',
        event: 'push',
        status: 'rejected',
        reason: 'project.path_with_namespace: expected string',
        components: [],
        payloadDigest: 'sha256:00',
        receivedAt: expect.any(String),
        redeliveries: 0,
      });
    });

    it('lists newest first with filters and pages', async () => {
      const { store } = await createStore();
      for (let i = 1; i <= 5; i++) {
        await store.record(
          push({
            deliveryId: `p-${i}`,
            components:
              i % 2
                ? ['component:default/payments-api']
                : ['component:default/refunds-worker'],
          }),
        );
      }
      await store.record(
        push({
          deliveryId: 'u-1',
          status: 'unmatched',
          repository: { slug: 'someone/else' },
          components: [],
        }),
      );
      await store.record(
        push({
          deliveryId: 'mono',
          components: [
            'component:default/payments-api',
            'component:default/refunds-worker',
          ],
        }),
      );

      const all = await store.list({});
      expect(all.items.map(d => d.deliveryId)).toEqual([
        'mono',
        'u-1',
        'p-5',
        'p-4',
        'p-3',
        'p-2',
        'p-1',
      ]);
      expect(all.nextCursor).toBeUndefined();
      expect(all.items[0].components).toEqual([
        'component:default/payments-api',
        'component:default/refunds-worker',
      ]);

      const ids = async (filter: Parameters<typeof store.list>[0]) =>
        (await store.list(filter)).items.map(d => d.deliveryId);
      expect(
        await ids({ component: 'component:default/Refunds-Worker' }),
      ).toEqual(['mono', 'p-4', 'p-2']);
      expect(await ids({ status: 'unmatched' })).toEqual(['u-1']);
      expect(await ids({ repository: 'SOMEONE/else' })).toEqual(['u-1']);
      expect(
        await ids({
          repository: 'launchpad-examples/payments-api',
          status: 'matched',
          component: 'component:default/payments-api',
        }),
      ).toEqual(['mono', 'p-5', 'p-3', 'p-1']);

      const first = await store.list({ limit: 3 });
      expect(first.items.map(d => d.deliveryId)).toEqual([
        'mono',
        'u-1',
        'p-5',
      ]);
      const second = await store.list({ limit: 3, cursor: first.nextCursor });
      expect(second.items.map(d => d.deliveryId)).toEqual([
        'p-4',
        'p-3',
        'p-2',
      ]);
      const last = await store.list({ limit: 3, cursor: second.nextCursor });
      expect(last.items.map(d => d.deliveryId)).toEqual(['p-1']);
      expect(last.nextCursor).toBeUndefined();

      await expect(store.list({ cursor: 'bogus' })).rejects.toThrow(InputError);
    });

    it('hands matched deliveries to one engine only', async () => {
      const { store } = await createStore();
      const a = (await store.record(push({ deliveryId: 'a' }))).delivery;
      await store.record(push({ deliveryId: 'b', status: 'unmatched' }));
      const c = (await store.record(push({ deliveryId: 'c' }))).delivery;
      expect(
        (await store.listUnprocessed({ limit: 10 })).map(d => d.deliveryId),
      ).toEqual(['a', 'c']);

      const at = new Date('2026-12-01T10:00:01Z');
      const claims = await Promise.all([
        store.markProcessed(a.id, at),
        store.markProcessed(a.id, at),
      ]);
      expect(claims.sort()).toEqual([false, true]);
      expect((await store.get(a.id)).processedAt).toBe(at.toISOString());
      expect(
        (await store.listUnprocessed({ limit: 10 })).map(d => d.id),
      ).toEqual([c.id]);
    });

    it('deletes deliveries received before a time, with their components', async () => {
      const { store, knex } = await createStore();
      const old = await store.record(
        push({
          deliveryId: 'old',
          receivedAt: new Date('2026-01-01T00:00:00Z'),
        }),
      );
      await store.record(push({ deliveryId: 'new' }));
      expect(
        await store.deleteReceivedBefore(new Date('2026-06-01T00:00:00Z')),
      ).toBe(1);
      await expect(store.get(old.delivery.id)).rejects.toThrow(NotFoundError);
      expect(
        await knex('delivery_components').where({
          delivery_id: old.delivery.id,
        }),
      ).toEqual([]);
      expect((await store.list({})).items.map(d => d.deliveryId)).toEqual([
        'new',
      ]);
    });

    it('migrates down and up again', async () => {
      const { knex } = await createStore();
      const directory = resolvePath(__dirname, '../../migrations');
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('deliveries')).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('delivery_components')).toBe(true);
    });
  },
);
