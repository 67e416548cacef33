import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  pipelineExecutorTestPlugin,
  runTestStep,
} from '@internal/plugin-pipelines-node/testUtils';
import { PipelineExecutor } from '@internal/plugin-pipelines-node';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import localExecutorModule from './index';

jest.setTimeout(60_000);

describe('the local executor module', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pipelines-module-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('adds the local executor when enabled, and stops it with the backend', async () => {
    const executors: PipelineExecutor[] = [];
    const backend = await startTestBackend({
      features: [
        pipelineExecutorTestPlugin(executors),
        localExecutorModule,
        mockServices.rootConfig.factory({
          data: {
            pipelines: {
              executors: { local: { enabled: true, workspaceRoot: root } },
            },
          },
        }),
      ],
    });
    expect(executors.map(e => e.id)).toEqual(['local']);

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
    expect(await readdir(root)).toEqual([workspace.id]);

    await backend.stop();
    expect(existsSync(join(root, workspace.id))).toBe(false);
  });

  it.each([
    ['set to false', { enabled: false }],
    ['not set', {}],
  ])('adds nothing and says why when enabled is %s', async (_, local) => {
    const executors: PipelineExecutor[] = [];
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        pipelineExecutorTestPlugin(executors),
        localExecutorModule,
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            pipelines: {
              executors: { local: { ...local, workspaceRoot: root } },
            },
          },
        }),
      ],
    });
    expect(executors).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'The local pipeline executor is disabled: it runs pipeline steps as processes on the backend host, so it must be enabled explicitly with pipelines.executors.local.enabled: true',
      ),
    );
    await backend.stop();
  });

  it('refuses bad settings at start-up', async () => {
    await expect(
      startTestBackend({
        features: [
          pipelineExecutorTestPlugin([]),
          localExecutorModule,
          mockServices.rootConfig.factory({
            data: {
              pipelines: {
                executors: {
                  local: {
                    enabled: true,
                    workspaceRoot: root,
                    maxOutputBytes: 0,
                  },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /pipelines\.executors\.local\.maxOutputBytes must be a positive integer/,
    );
  });
});
