import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ENVIRONMENTS_TOPIC,
  EnvironmentsClient,
} from '@internal/plugin-environments-common';
import { EnvironmentEntityProvider } from './EnvironmentEntityProvider';

/**
 * Provides environments to the catalog as Resource entities of type
 * `environment`, refreshed on `catalog.providers.environments.schedule` and
 * on every event the environments backend publishes.
 *
 * @public
 */
export const catalogModuleEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        logger,
        scheduler,
        events,
      }) {
        const scheduleConfig = config.getOptionalConfig(
          'catalog.providers.environments.schedule',
        );
        const provider = new EnvironmentEntityProvider({
          environments: new EnvironmentsClient({ discoveryApi: discovery }),
          auth,
          logger,
          appBaseUrl: config.getString('app.baseUrl'),
          schedule: scheduler.createScheduledTaskRunner(
            scheduleConfig
              ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                  scheduleConfig,
                )
              : {
                  frequency: { minutes: 10 },
                  timeout: { minutes: 2 },
                  initialDelay: { seconds: 5 },
                },
          ),
        });
        catalog.addEntityProvider(provider);
        // Environments and what runs in them change through the API; every
        // change is published, so the catalog follows within seconds rather
        // than at the next scheduled refresh.
        await events.subscribe({
          id: 'catalog-environments-provider',
          topics: [ENVIRONMENTS_TOPIC],
          onEvent: async () => {
            await provider
              .refreshSoon()
              .catch(error =>
                logger.warn(
                  'Could not refresh environments in the catalog',
                  error,
                ),
              );
          },
        });
      },
    });
  },
});
