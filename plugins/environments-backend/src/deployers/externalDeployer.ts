import { Deployer } from '@internal/plugin-environments-node';

/**
 * For environments an outside CD system (Argo CD, Flux, ...) deploys to: the
 * deployment stays pending until that system reports progress through
 * `POST /deployments/{id}/status`, e.g. from an Argo CD notification.
 */
export const externalDeployer: Deployer = {
  targetType: 'external',
  async deploy() {},
};
