import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  Deployment,
  DeploymentRequest,
  EnvironmentsClient,
} from '@internal/plugin-environments-common';
import type { DeploymentSource } from '../dora/DoraService';
import { cdTokenConfigKey, ExternalCdReport } from './externalCdReport';

/**
 * How deploy stages reach the Environments plugin: its deployments API,
 * called as the pipelines plugin itself (service-to-service auth).
 */
export type DeploymentHandOff = {
  createDeployment(request: DeploymentRequest): Promise<Deployment>;
  getDeployment(id: string): Promise<Deployment>;
  /**
   * Where an outside CD system reports the status of a deployment to an
   * `external` environment, and the token config it uses, for the step to
   * say what it waits for.
   */
  externalReport(deploymentId: string): Promise<ExternalCdReport>;
};

/**
 * The hand-off over HTTP with `EnvironmentsClient` and a service token per
 * call; DORA figures read deployments through it too.
 */
export function createEnvironmentsHandOff(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  config: Config;
}): DeploymentHandOff & DeploymentSource {
  const { auth, discovery } = options;
  const tokenConfigKey = cdTokenConfigKey(options.config);
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
    externalReport: async deploymentId => ({
      // The address the CD system reaches, not the in-cluster one.
      url: `${await discovery.getExternalBaseUrl(
        'environments',
      )}/deployments/${encodeURIComponent(deploymentId)}/status`,
      ...(tokenConfigKey ? { tokenConfigKey } : {}),
    }),
  };
}
