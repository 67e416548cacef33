import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { attemptError, onBehalfOf } from '@internal/platform-node';
import { PipelinesClient } from '@internal/plugin-pipelines-common';

/** What the actions need to call the pipelines API. */
export interface PipelinesApiOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * The pipelines API as the user who started the task: every call carries
 * an on-behalf-of token, so the pipelines backend applies the same permission
 * checks and audit as for that user's own requests.
 */
export function pipelinesApiFor(options: PipelinesApiOptions) {
  const client = new PipelinesClient({ discoveryApi: options.discovery });
  const asUser = onBehalfOf(options.auth, 'pipelines').tokenFor;
  return { client, asUser };
}

/** The backend's own error from a failed call, with what was attempted in front. */
export const apiError = attemptError;
