import {
  Environment,
  EnvironmentInput,
  PreviewTeardown,
  PullRequest,
} from '@internal/plugin-environments-common';

/**
 * Persistence of preview environments: creation that is idempotent per
 * component and pull request, expiry, and the record of a tear-down while
 * it is under way or retried.
 */
export interface PreviewStore {
  /** The preview of a component's pull request, if there is one. */
  find(
    component: string,
    pullRequestNumber: number,
  ): Promise<Environment | undefined>;
  /**
   * Creates a preview environment, or returns the one that exists for the
   * same component and pull request (e.g. created by another replica a
   * moment ago).
   * @throws ConflictError when the name is taken by another environment.
   */
  create(
    input: EnvironmentInput,
    preview: { component: string; pullRequest: PullRequest; expiresAt: Date },
    actor: string,
  ): Promise<{ environment: Environment; created: boolean }>;
  /**
   * Moves the expiry to `expiresAt` unless it is already later, and records
   * newer pull request details when given.
   * @throws ConflictError when its tear-down has begun.
   */
  extend(
    name: string,
    expiresAt: Date,
    pullRequest?: PullRequest,
  ): Promise<Environment>;
  /** Previews past their expiry, and those whose tear-down is to be retried. */
  due(now: Date): Promise<Environment[]>;
  /**
   * Records the tear-down's progress, provided nobody else changed it since
   * `previous` was read: two tear-downs of one preview do not run at once.
   * @returns what was written, to pass as `previous` next time.
   * @throws ConflictError when another tear-down changed it meanwhile.
   */
  saveTeardown(
    name: string,
    teardown: PreviewTeardown,
    previous: PreviewTeardown | undefined,
  ): Promise<PreviewTeardown>;
  /**
   * The deployments recorded in the environment so far, and every component
   * they deployed.
   */
  deploymentsIn(name: string): Promise<{ ids: string[]; components: string[] }>;
  /**
   * Deletes the preview with its deployment history, locks and variables,
   * all or nothing.
   * @throws ConflictError when it holds a deployment other than `known` (the
   *   ones whose components were removed): it arrived during the tear-down
   *   and its workload may still run.
   */
  delete(name: string, known: string[]): Promise<Environment>;
}
