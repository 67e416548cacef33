/**
 * Test helpers for executor modules: run a step on an executor with its log
 * collected, and a stand-in for the pipelines plugin that keeps the
 * executors a module adds. Tests only.
 *
 * @packageDocumentation
 */
export {
  collectPipelineLog,
  pipelineExecutorTestPlugin,
  runTestStep,
} from './pipelineExecutors';
export type { CollectedPipelineLog } from './pipelineExecutors';
