/**
 * The Environment Manager's extension point for deployers.
 *
 * @packageDocumentation
 */
export * from './deployer';
export * from './kubernetesClusters';
