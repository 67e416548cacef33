import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Delivery } from '@internal/plugin-pipelines-common';
import { RepositoryComponents } from '../catalog/RepositoryComponents';
import { createPipelinesStores } from '../store/pipelinesStores';
import { DeliveryIngestor } from './DeliveryIngestor';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const commit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const push = (slug: string) => ({
  ref: 'refs/heads/main',
  before: '0'.repeat(40),
  after: commit,
  repository: {
    full_name: slug,
    html_url: `https://github.com/${slug}`,
    default_branch: 'main',
  },
  head_commit: { author: { name: 'Priya', username: 'priya' } },
  sender: { login: 'priya' },
});

describe.each(databases.eachSupportedId())(
  'DeliveryIngestor on %s',
  databaseId => {
    async function setUp(handleDelivery: (d: Delivery) => Promise<void>) {
      const { deliveries: store } = await createPipelinesStores({
        database: mockServices.database({
          knex: await databases.init(databaseId),
        }),
      });
      const catalog = catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'payments-api',
              namespace: 'default',
              annotations: {
                'github.com/project-slug': 'launchpad-examples/payments-api',
              },
            },
            spec: { type: 'service' },
          },
        ],
      });
      const handler = { handleDelivery: jest.fn(handleDelivery) };
      const ingestor = new DeliveryIngestor({
        store,
        components: new RepositoryComponents({
          catalog,
          auth: mockServices.auth(),
        }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
        handler,
      });
      const deliver = (slug: string, id: string) =>
        ingestor.ingest({
          topic: 'github',
          eventPayload: push(slug),
          metadata: { 'x-github-event': 'push', 'x-github-delivery': id },
        });
      return { store, handler, deliver };
    }

    it('hands each new matched delivery to the engine once and marks it processed', async () => {
      const { store, handler, deliver } = await setUp(async () => {});
      const first = await deliver('launchpad-examples/payments-api', 'a');
      await deliver('launchpad-examples/payments-api', 'a');
      await deliver('someone/unknown', 'b');
      expect(handler.handleDelivery).toHaveBeenCalledTimes(1);
      expect(handler.handleDelivery).toHaveBeenCalledWith(
        expect.objectContaining({
          deliveryId: 'a',
          status: 'matched',
          components: ['component:default/payments-api'],
          trigger: { type: 'push', branch: 'main', commit },
        }),
      );
      expect((await store.get(first!.delivery.id)).processedAt).toEqual(
        expect.any(String),
      );
      expect(await store.listUnprocessed({ limit: 10 })).toEqual([]);
    });

    it('leaves a delivery the engine failed to take unprocessed, for later', async () => {
      const { store, handler, deliver } = await setUp(async () => {
        throw new Error('queue unavailable');
      });
      const result = await deliver('launchpad-examples/payments-api', 'c');
      expect(result?.type).toBe('recorded');
      expect(handler.handleDelivery).toHaveBeenCalledTimes(1);
      expect(
        (await store.listUnprocessed({ limit: 10 })).map(d => d.deliveryId),
      ).toEqual(['c']);
    });

    it('ignores topics other than the ingress topics', async () => {
      const { store, deliver: _ } = await setUp(async () => {});
      const ingestor = new DeliveryIngestor({
        store,
        components: new RepositoryComponents({
          catalog: catalogServiceMock(),
          auth: mockServices.auth(),
        }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      });
      await expect(
        ingestor.ingest({ topic: 'github.push', eventPayload: push('x/y') }),
      ).resolves.toBeUndefined();
      expect((await store.list({})).items).toEqual([]);
    });

    it('records a delivery as unmatched, with the reason, when the catalog cannot be asked', async () => {
      const { deliveries: store } = await createPipelinesStores({
        database: mockServices.database({
          knex: await databases.init(databaseId),
        }),
      });
      const catalog = catalogServiceMock.mock({
        queryEntities: async () => {
          throw new Error('catalog is down');
        },
      });
      const ingestor = new DeliveryIngestor({
        store,
        components: new RepositoryComponents({
          catalog,
          auth: mockServices.auth(),
        }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      });
      const result = await ingestor.ingest({
        topic: 'github',
        eventPayload: push('launchpad-examples/payments-api'),
        metadata: { 'x-github-event': 'push', 'x-github-delivery': 'd' },
      });
      expect(result?.delivery).toMatchObject({
        status: 'unmatched',
        reason:
          'the catalog could not be asked which component has launchpad-examples/payments-api: catalog is down',
        trigger: { type: 'push', branch: 'main' },
      });
    });

    it('identifies a delivery without headers by its payload digest', async () => {
      const { store } = await setUp(async () => {});
      const ingestor = new DeliveryIngestor({
        store,
        components: new RepositoryComponents({
          catalog: catalogServiceMock(),
          auth: mockServices.auth(),
        }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      });
      const once = await ingestor.ingest({
        topic: 'gitlab',
        eventPayload: {
          object_kind: 'note',
          project: { path_with_namespace: 'a/b' },
        },
      });
      const twice = await ingestor.ingest({
        topic: 'gitlab',
        eventPayload: {
          object_kind: 'note',
          project: { path_with_namespace: 'a/b' },
        },
      });
      expect(once?.delivery.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(once?.delivery.deliveryId).toBe(once?.delivery.payloadDigest);
      expect(twice).toMatchObject({
        type: 'duplicate',
        delivery: { id: once?.delivery.id, redeliveries: 1 },
      });
    });
  },
);
