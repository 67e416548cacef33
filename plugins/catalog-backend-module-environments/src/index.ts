/**
 * Provides the Environment Manager's environments to the catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleEnvironments as default } from './module';
export { EnvironmentEntityProvider } from './EnvironmentEntityProvider';
export { environmentEntity, ANNOTATION_ENVIRONMENT } from './environmentEntity';
