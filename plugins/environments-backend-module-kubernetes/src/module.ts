import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { deployerExtensionPoint } from '@internal/plugin-environments-node';
import { KubernetesDeployer } from './KubernetesDeployer';

/**
 * Adds the Kubernetes deployer to the Environment Manager, for environments
 * whose target is `{ type: kubernetes, cluster, namespacePattern }`.
 *
 * @public
 */
export const environmentsModuleKubernetesDeployer = createBackendModule({
  pluginId: 'environments',
  moduleId: 'kubernetes-deployer',
  register(reg) {
    reg.registerInit({
      deps: {
        deployers: deployerExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ deployers, config, logger, lifecycle }) {
        const deployer = KubernetesDeployer.fromConfig(config, { logger });
        deployers.addDeployer(deployer);
        lifecycle.addShutdownHook(() => deployer.stop());
      },
    });
  },
});
