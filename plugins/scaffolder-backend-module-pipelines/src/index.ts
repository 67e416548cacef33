/**
 * Scaffolder action of the Pipeline Engine.
 *
 * @packageDocumentation
 */
export { scaffolderModulePipelines as default } from './module';
export { createTriggerRunAction } from './actions';
