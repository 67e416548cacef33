import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { PipelinesClient } from '@internal/plugin-pipelines-common';

/** What the action needs to call the pipelines API. */
export interface PipelinesApiOptions {
  auth: AuthService;
  discovery: DiscoveryService;
}

/**
 * The pipelines API as the user who started the task: every call carries an
 * on-behalf-of token, so the pipelines backend applies the same permission
 * checks and audit as for that user's own requests, and the run's trigger
 * names the user.
 */
export function pipelinesApiFor(options: PipelinesApiOptions) {
  const client = new PipelinesClient({ discoveryApi: options.discovery });
  const asUser = async (credentials: BackstageCredentials) =>
    options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'pipelines',
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
