import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  PipelineExecutor,
  PipelineLogChunk,
  PipelineStepRequest,
  PipelineStepResult,
  PipelineWorkspace,
} from '../executor';
import { pipelineExecutorExtensionPoint } from '../extensionPoint';

/**
 * The log chunks a sink received, and their text.
 *
 * @public
 */
export type CollectedPipelineLog = {
  chunks: PipelineLogChunk[];
  /** The sink to hand an executor. */
  sink: (chunk: PipelineLogChunk) => void;
  /** The text of all chunks, or of one stream's, joined. */
  text(stream?: PipelineLogChunk['stream']): string;
};

/**
 * A log sink that keeps what it receives.
 *
 * @public
 */
export function collectPipelineLog(): CollectedPipelineLog {
  const chunks: PipelineLogChunk[] = [];
  return {
    chunks,
    sink: chunk => {
      chunks.push(chunk);
    },
    text: stream =>
      chunks
        .filter(c => !stream || c.stream === stream)
        .map(c => c.text)
        .join(''),
  };
}

/**
 * Runs a step on an executor with its log collected: step id `build.test`
 * and command `true` unless the request says otherwise.
 *
 * @public
 */
export async function runTestStep(
  executor: PipelineExecutor,
  workspace: PipelineWorkspace,
  request: Partial<PipelineStepRequest>,
): Promise<{ result: PipelineStepResult; log: CollectedPipelineLog }> {
  const log = collectPipelineLog();
  const result = await executor.runStep({
    workspace,
    stepId: 'build.test',
    command: 'true',
    log: log.sink,
    ...request,
  });
  return { result, log };
}

/**
 * Stands in for the pipelines plugin in executor module tests: it registers
 * the executors' extension point and keeps what modules add.
 *
 * @public
 */
export function pipelineExecutorTestPlugin(executors: PipelineExecutor[]) {
  return createBackendPlugin({
    pluginId: 'pipelines',
    register(env) {
      env.registerExtensionPoint(pipelineExecutorExtensionPoint, {
        addExecutor: executor => executors.push(executor),
      });
      env.registerInit({
        deps: { logger: coreServices.logger },
        async init() {},
      });
    },
  });
}
