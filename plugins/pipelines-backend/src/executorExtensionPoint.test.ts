import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  PipelineExecutor,
  pipelineExecutorExtensionPoint,
} from '@internal/plugin-pipelines-node';
import { pipelinesPlugin } from './plugin';

function executorModule(moduleId: string, executorId: string) {
  const executor: PipelineExecutor = {
    id: executorId,
    prepareWorkspace: jest.fn(),
    runStep: jest.fn(),
    releaseWorkspace: jest.fn(),
  };
  return createBackendModule({
    pluginId: 'pipelines',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { executors: pipelineExecutorExtensionPoint },
        async init({ executors }) {
          executors.addExecutor(executor);
        },
      });
    },
  });
}

const common = [
  pipelinesPlugin,
  eventsServiceFactory,
  mockServices.rootConfig.factory({
    data: { events: { useEventBus: 'never' } },
  }),
];

describe('the pipelines.executors extension point', () => {
  it('refuses a second executor with the same id', async () => {
    await expect(
      startTestBackend({
        features: [
          ...common,
          executorModule('one', 'same'),
          executorModule('two', 'same'),
        ],
      }),
    ).rejects.toThrow(/A pipeline executor with id 'same' was added already/);
  });

  it('starts without the configured executor, saying why', async () => {
    const logger = mockServices.rootLogger.mock();
    const child = mockServices.logger.mock();
    logger.child.mockReturnValue(child);
    const backend = await startTestBackend({
      features: [...common, executorModule('one', 'other'), logger.factory],
    });
    expect(child.warn).toHaveBeenCalledWith(
      "No pipeline executor 'local' (pipelines.engine.executor) was added; there are: other: webhook deliveries are recorded, but no pipeline runs",
    );
    await backend.stop();
  });
});
