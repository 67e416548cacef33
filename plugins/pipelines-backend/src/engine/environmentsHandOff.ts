import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  Deployment,
  DeploymentRequest,
  EnvironmentsClient,
} from '@internal/plugin-environments-common';
import type { DeploymentSource } from '../dora/DoraService';

/**
 * How deploy stages reach the Environments plugin: its deployments API,
 * called as the pipelines plugin itself (service-to-service auth).
 */
export type DeploymentHandOff = {
  createDeployment(request: DeploymentRequest): Promise<Deployment>;
  getDeployment(id: string): Promise<Deployment>;
};

/**
 * The hand-off over HTTP with `EnvironmentsClient` and a service token per
 * call; DORA figures read deployments through it too.
 */
export function createEnvironmentsHandOff(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): DeploymentHandOff & DeploymentSource {
  const { auth } = options;
  const client = new EnvironmentsClient({ discoveryApi: options.discovery });
  const token = async () =>
    auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'environments',
    });
  return {
    createDeployment: async request =>
      client.createDeployment(request, await token()),
    getDeployment: async id => client.getDeployment(id, await token()),
    listDeployments: async filter =>
      client.listDeployments(filter, await token()),
  };
}
