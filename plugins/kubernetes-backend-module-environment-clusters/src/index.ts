/**
 * Feeds the Kubernetes plugin the clusters environments deploy to.
 *
 * @packageDocumentation
 */
export { kubernetesModuleEnvironmentClusters as default } from './module';
export { EnvironmentClustersSupplier } from './EnvironmentClustersSupplier';
