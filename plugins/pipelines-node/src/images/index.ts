export { planImageBuild, REGISTRY_AUTH_VARIABLE } from './planImageBuild';
export type { ImageBuildPlan, ImageBuildSpec } from './planImageBuild';
export { readImageRegistryConfig } from './registryConfig';
export type { ImageRegistryConfig } from './registryConfig';
export { runImageBuild } from './runImageBuild';
export type {
  ImageBuildArtifact,
  ImageBuildFailureReason,
  ImageBuildOutcome,
} from './runImageBuild';
