/**
 * The Pipeline Engine's local executor, the embedded default.
 *
 * @packageDocumentation
 */
export { pipelinesModuleLocalExecutor as default } from './module';
export { LocalExecutor } from './LocalExecutor';
export type { LocalExecutorSettings } from './config';
