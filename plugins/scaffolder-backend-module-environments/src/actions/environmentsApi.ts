import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EnvironmentsClient } from '@internal/plugin-environments-common';

/** What the actions need to call the environments API. */
export interface EnvironmentsApiOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * The environments API as the user who started the task: every call carries
 * an on-behalf-of token, so the environments backend applies the same
 * permission checks and audit as for that user's own requests.
 */
export function environmentsApiFor(options: EnvironmentsApiOptions) {
  const client = new EnvironmentsClient({ discoveryApi: options.discovery });
  const asUser = async (credentials: BackstageCredentials) =>
    options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'environments',
    });
  return { client, asUser };
}

/**
 * The backend's own error from a failed call, with what was attempted in
 * front: `ResponseError` only says "Request failed with 403 Forbidden".
 */
export function apiError(error: unknown, attempted: string): Error {
  if (!(error instanceof ResponseError)) {
    return error as Error;
  }
  const failure = new Error(`${attempted}: ${error.cause.message}`);
  failure.name = error.cause.name;
  return failure;
}
