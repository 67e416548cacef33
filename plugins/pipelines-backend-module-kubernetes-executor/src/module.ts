import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { pipelineExecutorExtensionPoint } from '@internal/plugin-pipelines-node';
import { isKubernetesExecutorEnabled } from './config';
import { KubernetesExecutor } from './KubernetesExecutor';

/**
 * Adds the Kubernetes executor (`kubernetes`) to the Pipeline Engine when
 * `pipelines.executors.kubernetes.enabled` is true; otherwise it adds
 * nothing and logs why.
 *
 * @public
 */
export const pipelinesModuleKubernetesExecutor = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'kubernetes-executor',
  register(reg) {
    reg.registerInit({
      deps: {
        executors: pipelineExecutorExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ executors, config, logger, lifecycle }) {
        if (!isKubernetesExecutorEnabled(config)) {
          logger.info(
            'The Kubernetes pipeline executor is disabled; enable it with pipelines.executors.kubernetes.enabled: true and a cluster',
          );
          return;
        }
        const executor = KubernetesExecutor.fromConfig(config, { logger });
        executors.addExecutor(executor);
        lifecycle.addShutdownHook(() => executor.stop());
        logger.info(
          `The Kubernetes pipeline executor is enabled; steps run as Jobs in namespace ${executor.namespace}`,
        );
      },
    });
  },
});
