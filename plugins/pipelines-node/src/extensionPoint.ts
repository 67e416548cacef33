import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { PipelineExecutor } from './executor';

/**
 * Lets backend modules add executors to the Pipeline Engine.
 *
 * @public
 */
export interface PipelineExecutorExtensionPoint {
  /**
   * Adds an executor. Its `id` must be unique: the engine refuses a second
   * executor with the same id.
   */
  addExecutor(executor: PipelineExecutor): void;
}

/**
 * The extension point for executors, `pipelines.executors`.
 *
 * @public
 */
export const pipelineExecutorExtensionPoint =
  createExtensionPoint<PipelineExecutorExtensionPoint>({
    id: 'pipelines.executors',
  });
