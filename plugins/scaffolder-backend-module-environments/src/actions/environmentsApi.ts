import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { attemptError, onBehalfOf } from '@internal/platform-node';
import { EnvironmentsClient } from '@internal/plugin-environments-common';

/** What the actions need to call the environments API. */
export interface EnvironmentsApiOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * The environments API as the user who started the task: every call carries
 * an on-behalf-of token, so the environments backend applies the same permission
 * checks and audit as for that user's own requests.
 */
export function environmentsApiFor(options: EnvironmentsApiOptions) {
  const client = new EnvironmentsClient({ discoveryApi: options.discovery });
  const asUser = onBehalfOf(options.auth, 'environments').tokenFor;
  return { client, asUser };
}

/** The backend's own error from a failed call, with what was attempted in front. */
export const apiError = attemptError;
