import * as Models from './schema/openapi/generated/models';

/** The pull request a preview environment is for. @public */
export type PullRequest = Models.PullRequest;

/**
 * What makes an environment a preview: the component (entity ref) and pull
 * request it is for, and when it expires. Deploying into it extends the
 * expiry.
 *
 * @public
 */
export type PreviewDetails = Models.PreviewDetails;

/**
 * A tear-down that has begun: who or what asked for it (a user, a service,
 * or the TTL task), the components the deployer has removed so far, and why
 * the last attempt failed, if it did. It stays on the environment while it
 * fails, and the scheduled task retries it; the environment is deleted only
 * once every component is removed.
 *
 * @public
 */
export type PreviewTeardown = NonNullable<PreviewDetails['teardown']>;

/**
 * What a client sends to create a preview environment (or to find and
 * extend the one that exists for the same component and pull request);
 * `ttl` is an ISO 8601 duration, e.g. `P3D`, the configured default when
 * absent.
 *
 * @public
 */
export type PreviewRequest = Models.PreviewRequest;
