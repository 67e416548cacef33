/**
 * The Environment Manager's extension point for deployers, the Kubernetes
 * cluster connections they share, and the environment resource type's
 * permission rules and conditions.
 *
 * @packageDocumentation
 */
export * from './deployer';
export * from './kubernetesClusters';
export * from './permissionRules';
