import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import {
  ENVIRONMENTS_TOPIC,
  EnvironmentsClient,
  isEnvironmentCDEvent,
} from '@internal/plugin-environments-common';
import { readKubernetesClusters } from '@internal/plugin-environments-node';
import { CombinedClustersSupplier } from './CombinedClustersSupplier';
import { EnvironmentClustersSupplier } from './EnvironmentClustersSupplier';

/**
 * Adds the clusters environments deploy to to the Kubernetes plugin's
 * clusters, next to those `kubernetes.clusterLocatorMethods` configures.
 *
 * @public
 */
export const kubernetesModuleEnvironmentClusters = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'environment-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({
        clusterSupplier,
        config,
        discovery,
        auth,
        logger,
        scheduler,
        events,
      }) {
        const supplier = new EnvironmentClustersSupplier({
          connections: readKubernetesClusters(config),
          environments: new EnvironmentsClient({ discoveryApi: discovery }),
          auth,
          logger,
        });
        clusterSupplier.addClusterSupplier(async ({ getDefault }) => {
          // The default supplier requires clusterLocatorMethods; without
          // them the environments' clusters are the only ones.
          const configured = config.has('kubernetes.clusterLocatorMethods')
            ? await getDefault()
            : undefined;
          return new CombinedClustersSupplier(configured, supplier, logger);
        });

        await events.subscribe({
          id: 'kubernetes-environment-clusters',
          topics: [ENVIRONMENTS_TOPIC],
          async onEvent({ eventPayload }) {
            // Only a change to an environment can change its target cluster;
            // the deployments' service events on the same topic cannot.
            if (isEnvironmentCDEvent(eventPayload)) {
              await supplier.refresh();
            }
          },
        });
        // Events are missed while another replica's bus is unreachable, or
        // before this one started: read the environments again now and then.
        await scheduler.scheduleTask({
          id: 'environment-clusters-refresh',
          scope: 'local',
          frequency: { minutes: 5 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 30 },
          fn: () => supplier.refresh(),
        });
      },
    });
  },
});
