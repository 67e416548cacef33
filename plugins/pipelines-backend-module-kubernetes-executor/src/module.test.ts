import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FakeKubernetesApiServer,
  FakeProcessKubelet,
} from '@internal/platform-backend-test-utils';
import {
  pipelineExecutorTestPlugin,
  runTestStep,
} from '@internal/plugin-pipelines-node/testUtils';
import { PipelineExecutor } from '@internal/plugin-pipelines-node';
import kubernetesExecutorModule from './index';

jest.setTimeout(60_000);

describe('the Kubernetes executor module', () => {
  let fake: FakeKubernetesApiServer;
  beforeEach(async () => {
    fake = await FakeKubernetesApiServer.start();
    fake.setKubelet(new FakeProcessKubelet());
  });
  afterEach(() => fake.stop());

  it("adds the executor under id 'kubernetes' when enabled, and it runs steps as Jobs", async () => {
    const executors: PipelineExecutor[] = [];
    const backend = await startTestBackend({
      features: [
        pipelineExecutorTestPlugin(executors),
        kubernetesExecutorModule,
        mockServices.rootConfig.factory({
          data: {
            pipelines: {
              executors: {
                kubernetes: {
                  enabled: true,
                  cluster: {
                    url: fake.url,
                    token: fake.token,
                    caData: fake.caData,
                  },
                  pollInterval: { milliseconds: 50 },
                },
              },
            },
          },
        }),
      ],
    });
    expect(executors.map(e => e.id)).toEqual(['kubernetes']);

    const [executor] = executors;
    const workspace = await executor.prepareWorkspace({ runId: 'wired' });
    const { result } = await runTestStep(executor, workspace, {
      stepId: 'hello',
      command: 'echo greeting=hello >> "$PIPELINE_OUTPUT"',
    });
    expect(result).toMatchObject({
      reason: 'exited',
      exitCode: 0,
      outputs: { greeting: 'hello' },
    });
    expect(fake.list('Job', 'default')).toHaveLength(2);
    await executor.releaseWorkspace(workspace);
    expect(fake.list('PersistentVolumeClaim', 'default')).toEqual([]);
    await backend.stop();
  });

  it.each([
    ['set to false', { enabled: false }],
    ['not set', {}],
  ])('adds nothing and says why when enabled is %s', async (_, kubernetes) => {
    const executors: PipelineExecutor[] = [];
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        pipelineExecutorTestPlugin(executors),
        kubernetesExecutorModule,
        logger.factory,
        mockServices.rootConfig.factory({
          data: { pipelines: { executors: { kubernetes } } },
        }),
      ],
    });
    expect(executors).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'The Kubernetes pipeline executor is disabled; enable it with pipelines.executors.kubernetes.enabled: true and a cluster',
      ),
    );
    await backend.stop();
  });

  it.each([
    [
      'no cluster',
      {},
      /pipelines\.executors\.kubernetes\.cluster is required: set inCluster: true, or url and token/,
    ],
    [
      'a cluster without a token',
      { cluster: { url: 'https://k8s.example.com' } },
      /pipelines\.executors\.kubernetes\.cluster needs url and token \(or inCluster: true\)/,
    ],
    [
      'in-cluster and a url',
      { cluster: { inCluster: true, url: 'https://k8s.example.com' } },
      /inCluster cannot be combined with url and token/,
    ],
    [
      'a url that is not http(s)',
      { cluster: { url: 'k8s.example.com', token: 't' } },
      /pipelines\.executors\.kubernetes\.cluster\.url 'k8s\.example\.com' is not an http\(s\) URL/,
    ],
    [
      'a bad namespace',
      { cluster: { inCluster: true }, namespace: 'Pipelines_1' },
      /pipelines\.executors\.kubernetes\.namespace: 'Pipelines_1' is not a namespace name/,
    ],
    [
      'a bad size',
      { cluster: { inCluster: true }, workspaceSize: 'lots' },
      /pipelines\.executors\.kubernetes\.workspaceSize: 'lots' is not a quantity such as 5Gi/,
    ],
    [
      'a bad resource quantity',
      {
        cluster: { inCluster: true },
        resources: { limits: { memory: 'a lot' } },
      },
      /pipelines\.executors\.kubernetes\.resources\.limits\.memory: 'a lot' is not a quantity/,
    ],
    [
      'a zero output limit',
      { cluster: { inCluster: true }, maxOutputBytes: 0 },
      /pipelines\.executors\.kubernetes\.maxOutputBytes must be a positive integer/,
    ],
    [
      'a relative workspace path',
      { cluster: { inCluster: true }, workspacePath: 'workspace' },
      /pipelines\.executors\.kubernetes\.workspacePath must be an absolute path/,
    ],
  ])('refuses %s at start-up, naming the key', async (_, settings, message) => {
    await expect(
      startTestBackend({
        features: [
          pipelineExecutorTestPlugin([]),
          kubernetesExecutorModule,
          mockServices.rootConfig.factory({
            data: {
              pipelines: {
                executors: { kubernetes: { enabled: true, ...settings } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(message);
  });
});
