/** The pull request a preview environment is for. @public */
export type PullRequest = {
  number: number;
  url?: string;
  branch?: string;
};

/**
 * A tear-down that has begun. It stays on the environment while it fails,
 * and the scheduled task retries it; the environment is deleted only once
 * every component is removed.
 *
 * @public
 */
export type PreviewTeardown = {
  startedAt: string;
  /** Who or what asked for it: a user, a service, or the TTL task. */
  requestedBy: string;
  /** Components the deployer has removed so far. */
  removed: string[];
  attempts: number;
  /** Why the last attempt failed, if it did. */
  lastError?: string;
  lastAttemptAt?: string;
};

/**
 * What makes an environment a preview: the component and pull request it is
 * for, and when it expires. Deploying into it extends the expiry.
 *
 * @public
 */
export type PreviewDetails = {
  /** Entity ref of the component, e.g. `component:default/payments-api`. */
  component: string;
  pullRequest: PullRequest;
  expiresAt: string;
  teardown?: PreviewTeardown;
};

/**
 * What a client sends to create a preview environment (or to find and
 * extend the one that exists for the same component and pull request).
 *
 * @public
 */
export type PreviewRequest = {
  component: string;
  pullRequest: PullRequest;
  /** ISO 8601 duration, e.g. `P3D`; the configured default when absent. */
  ttl?: string;
};
