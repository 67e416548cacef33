import * as Models from './schema/openapi/generated/models';

/**
 * What a webhook delivery asks for, as the engine needs it to start a run:
 * a push to a branch, a pushed tag, or a change to a pull request (a merge
 * request on GitLab). Declared as a narrowing of the spec's `Trigger`, so
 * that a variant or field the spec no longer has stops compiling.
 *
 * @public
 */
export type DeliveryTrigger = Models.Trigger &
  (PushTrigger | TagTrigger | PullRequestTrigger);

/** A push of commits to a branch. @public */
export interface PushTrigger {
  type: 'push';
  /** The branch name, without `refs/heads/`. */
  branch: string;
  /** The commit the branch points to after the push. */
  commit: string;
  /** The commit it pointed to before; absent for a new branch. */
  before?: string;
}

/** A tag pushed (created or moved). @public */
export interface TagTrigger {
  type: 'tag';
  /** The tag name, without `refs/tags/`. */
  tag: string;
  /** The commit the tag points to. */
  commit: string;
}

/**
 * What happened to a pull request. `synchronize` is new commits on its
 * branch (GitLab: an update that carries `oldrev`); `closed` covers merged
 * and abandoned, told apart by `merged`.
 *
 * @public
 */
export type PullRequestAction =
  | 'opened'
  | 'synchronize'
  | 'reopened'
  | 'closed';

/** A change to a pull request (GitHub) or merge request (GitLab). @public */
export interface PullRequestTrigger {
  type: 'pull_request';
  action: PullRequestAction;
  number: number;
  /** The branch with the changes. */
  headBranch: string;
  /** The commit at the head of the pull request. */
  commit: string;
  /** The branch it is to be merged into. */
  baseBranch: string;
  /** True when `closed` by merging. */
  merged?: boolean;
  title?: string;
  url?: string;
}

/**
 * Why a run exists: a delivery's trigger, a person or service asking for it,
 * a schedule, or a re-run of an earlier run.
 *
 * @public
 */
export type RunTrigger =
  | (DeliveryTrigger & { deliveryId: number })
  | {
      type: 'manual';
      /** The branch to build; default the repository's default branch. */
      branch?: string;
      commit?: string;
      /** Entity ref of the user, or the service's subject. */
      requestedBy: string;
    }
  | { type: 'schedule'; cron: string; branch: string }
  | {
      type: 'rerun';
      /** The run this one repeats. */
      runId: string;
      /** Only the steps that failed (or did not run) in that run. */
      failedOnly: boolean;
      requestedBy: string;
    };
