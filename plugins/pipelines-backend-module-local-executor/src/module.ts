import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { pipelineExecutorExtensionPoint } from '@internal/plugin-pipelines-node';
import { isLocalExecutorEnabled } from './config';
import { LocalExecutor } from './LocalExecutor';

/**
 * Adds the local executor (`local`) to the Pipeline Engine when
 * `pipelines.executors.local.enabled` is true; otherwise it adds nothing and
 * logs why.
 *
 * @public
 */
export const pipelinesModuleLocalExecutor = createBackendModule({
  pluginId: 'pipelines',
  moduleId: 'local-executor',
  register(reg) {
    reg.registerInit({
      deps: {
        executors: pipelineExecutorExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ executors, config, logger, lifecycle }) {
        if (!isLocalExecutorEnabled(config)) {
          logger.info(
            'The local pipeline executor is disabled: it runs pipeline steps as processes on the backend host, so it must be enabled explicitly with pipelines.executors.local.enabled: true',
          );
          return;
        }
        if (process.platform === 'win32') {
          logger.warn(
            'The local pipeline executor is not available on Windows: it needs POSIX process groups and /bin/sh',
          );
          return;
        }
        const executor = LocalExecutor.fromConfig(config, { logger });
        await executor.start();
        executors.addExecutor(executor);
        lifecycle.addShutdownHook(() => executor.stop());
        logger.info(
          `The local pipeline executor is enabled; workspaces under ${executor.workspaceRoot}`,
        );
      },
    });
  },
});
