/**
 * The Environment Manager's Kubernetes deployer.
 *
 * @packageDocumentation
 */
export { environmentsModuleKubernetesDeployer as default } from './module';
export { KubernetesDeployer } from './KubernetesDeployer';
export { resolveNamespace, NAMESPACE_PLACEHOLDERS } from './namespaces';
