/**
 * The Pipeline Engine's Kubernetes executor: a Job per step.
 *
 * @packageDocumentation
 */
export { pipelinesModuleKubernetesExecutor as default } from './module';
export { KubernetesExecutor } from './KubernetesExecutor';
export type {
  KubernetesExecutorCluster,
  KubernetesExecutorSettings,
  KubernetesResourceList,
} from './config';
