import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { PipelineExecutor } from '@internal/plugin-pipelines-node';
import { createPipelinesStores } from '../store/pipelinesStores';
import { NewDelivery } from '../store/DeliveryStore';
import { RunDeliveryHandler } from './RunDeliveryHandler';
import { DEFAULT_ENGINE_SETTINGS, RunEngine } from './RunEngine';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const commit = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

function push(n: number, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    provider: 'github',
    deliveryId: `d-${n}`,
    event: 'push',
    status: 'matched',
    repository: {
      slug: 'acme/monorepo',
      url: 'https://github.com/acme/monorepo',
    },
    ref: 'refs/heads/main',
    commit,
    components: ['component:default/orders', 'component:default/billing'],
    trigger: { type: 'push', branch: 'main', commit },
    payloadDigest: `sha256:${String(n).padStart(64, '0')}`,
    receivedAt: new Date(Date.UTC(2026, 11, 1, 10, n)),
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'RunDeliveryHandler on %s',
  databaseId => {
    it('queues a run per component for deliveries not handed over, once', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const { deliveries, runs } = await createPipelinesStores({ database });
      const logger = mockServices.logger.mock();
      // Never started: the runs stay queued.
      const engine = new RunEngine({
        store: runs,
        executor: { id: 'none' } as PipelineExecutor,
        logger,
        settings: DEFAULT_ENGINE_SETTINGS,
      });
      const handler = new RunDeliveryHandler(engine, logger);
      const first = await deliveries.record(push(1));
      const noUrl = await deliveries.record(
        push(2, { repository: { slug: 'acme/monorepo' } }),
      );
      if (first.type !== 'recorded' || noUrl.type !== 'recorded') {
        throw new Error('not recorded');
      }
      // A crash after handling, before marking: handed over again.
      await handler.handleDelivery(first.delivery);
      await handler.catchUp(deliveries, logger);
      await handler.catchUp(deliveries, logger);

      const queued = await runs.list({ limit: 10 });
      expect(
        queued.map(r => [r.component, r.status, r.deliveryId, r.cloneUrl]),
      ).toEqual(
        expect.arrayContaining([
          [
            'component:default/orders',
            'queued',
            first.delivery.id,
            'https://github.com/acme/monorepo',
          ],
          [
            'component:default/billing',
            'queued',
            first.delivery.id,
            'https://github.com/acme/monorepo',
          ],
        ]),
      );
      expect(queued).toHaveLength(2);
      expect(queued[0].trigger).toEqual({
        type: 'push',
        branch: 'main',
        commit,
        deliveryId: first.delivery.id,
      });
      expect(await deliveries.listUnprocessed({ limit: 10 })).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        `Delivery ${noUrl.delivery.id} starts no run: it has no repository URL`,
      );
    });
  },
);
