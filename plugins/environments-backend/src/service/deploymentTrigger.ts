import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DeploymentRequest,
  DeploymentTrigger,
} from '@internal/plugin-environments-common';
import { actorOf } from '@internal/platform-node';

/** Who asked for a deployment: a user, a service, or a pipeline run. */
export function triggerOf(
  credentials: BackstageCredentials,
  request: DeploymentRequest,
): DeploymentTrigger {
  const actor = actorOf(credentials);
  if ((credentials.principal as { type: string }).type === 'user') {
    return { type: 'user', user: actor };
  }
  return request.pipelineRun
    ? { type: 'pipeline', pipelineRun: request.pipelineRun, service: actor }
    : { type: 'service', service: actor };
}
