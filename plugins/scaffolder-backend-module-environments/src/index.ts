/**
 * Scaffolder actions of the Environment Manager.
 *
 * @packageDocumentation
 */
export { scaffolderModuleEnvironments as default } from './module';
export { createDeployAction, createEnvironmentAction } from './actions';
