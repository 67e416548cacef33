import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * The called backend's own error from a failed client call: its message and
 * its kind (so a route or the actions registry answers with the same
 * status), where `ResponseError` only says "Request failed with 403
 * Forbidden".
 *
 * @public
 */
export function backendError(error: unknown): unknown {
  return error instanceof ResponseError ? error.cause : error;
}

/**
 * {@link backendError} with what was attempted in front of its message, for
 * places that show the message alone (a scaffolder step's log).
 *
 * @public
 */
export function attemptError(error: unknown, attempted: string): Error {
  if (!(error instanceof ResponseError)) {
    return error as Error;
  }
  const failure = new Error(`${attempted}: ${error.cause.message}`);
  failure.name = error.cause.name;
  return failure;
}

/**
 * Calls another plugin's API (or the plugin's own, through HTTP) on behalf of
 * the caller of a request, a scaffolder task's user or an agent: the called
 * backend then applies exactly the permission checks, audit and attribution
 * of that caller's own requests, never the calling plugin's service identity
 * (to which the permission framework grants everything).
 *
 * @public
 */
export function onBehalfOf(auth: AuthService, targetPluginId: string) {
  /** A token for `targetPluginId` on behalf of the credentials. */
  const tokenFor = (credentials: BackstageCredentials) =>
    auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId });
  /** Runs a client call with that token; failures as {@link backendError}. */
  const call = async <T>(
    credentials: BackstageCredentials,
    request: (token: { token: string }) => Promise<T>,
  ): Promise<T> => {
    try {
      return await request(await tokenFor(credentials));
    } catch (error) {
      throw backendError(error);
    }
  };
  return { tokenFor, call };
}
