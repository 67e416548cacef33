import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { pipelinesPermissions } from '@internal/plugin-pipelines-common';
import { RepositoryComponents } from './catalog/RepositoryComponents';
import { DeliveryIngestor } from './ingest/DeliveryIngestor';
import {
  readDeliveryRetention,
  scheduleDeliveryRetention,
} from './service/deliveryRetention';
import { createRouter } from './service/router';
import { DatabaseDeliveryStore } from './store/DatabaseDeliveryStore';

/**
 * The Pipeline Engine's backend plugin: `/api/pipelines`.
 *
 * @public
 */
export const pipelinesPlugin = createBackendPlugin({
  pluginId: 'pipelines',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const deliveries = await DatabaseDeliveryStore.create({
          database: deps.database,
        });
        deps.permissionsRegistry.addPermissions(pipelinesPermissions);
        const ingestor = new DeliveryIngestor({
          store: deliveries,
          components: new RepositoryComponents({
            catalog: deps.catalog,
            auth: deps.auth,
          }),
          auditor: deps.auditor,
          logger: deps.logger,
        });
        await ingestor.subscribe(deps.events);
        await scheduleDeliveryRetention({
          deliveries,
          scheduler: deps.scheduler,
          logger: deps.logger,
          retentionMs: readDeliveryRetention(deps.config),
        });
        deps.httpRouter.use(await createRouter({ ...deps, deliveries }));
      },
    });
  },
});
