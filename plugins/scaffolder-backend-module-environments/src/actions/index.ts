export { createEnvironmentAction } from './createEnvironment';
export { createDeployAction } from './deploy';
