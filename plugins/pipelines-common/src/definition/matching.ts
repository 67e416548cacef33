import { DeliveryTrigger } from '../triggers';
import { matchesGlobs } from './globs';
import { PipelineTriggers, StageCondition } from './types';

/**
 * Whether a pipeline runs for a delivery's trigger, by its `triggers`.
 *
 * @public
 */
export function triggersMatch(
  triggers: PipelineTriggers,
  trigger: DeliveryTrigger,
): boolean {
  switch (trigger.type) {
    case 'push':
      return (
        !!triggers.push &&
        triggers.push.branches.length > 0 &&
        matchesGlobs(trigger.branch, triggers.push.branches)
      );
    case 'tag':
      return (
        !!triggers.push &&
        triggers.push.tags.length > 0 &&
        matchesGlobs(trigger.tag, triggers.push.tags)
      );
    case 'pull_request':
      return (
        !!triggers.pullRequest &&
        triggers.pullRequest.types.includes(trigger.action) &&
        matchesGlobs(trigger.baseBranch, triggers.pullRequest.branches)
      );
    default:
      return false;
  }
}

/** What a stage's `when` looks at in a run. @public */
export interface StageConditionContext {
  /** The branch built (pushes, manual and scheduled runs). */
  branch?: string;
  tag?: string;
  /** True for runs of a pull request. */
  pullRequest?: boolean;
  /** The repository's default branch, when known. */
  defaultBranch?: string;
}

/**
 * Whether a stage with this `when` runs in a run; a stage without one
 * always does. Any condition that holds is enough.
 *
 * @public
 */
export function stageConditionHolds(
  when: StageCondition | undefined,
  run: StageConditionContext,
): boolean {
  if (!when) return true;
  if (run.pullRequest) return !!when.pullRequests;
  if (run.tag !== undefined) {
    return !!when.tags && matchesGlobs(run.tag, when.tags);
  }
  if (run.branch !== undefined) {
    if (when.branches && matchesGlobs(run.branch, when.branches)) return true;
    return (
      !!when.defaultBranch &&
      run.defaultBranch !== undefined &&
      run.branch === run.defaultBranch
    );
  }
  return false;
}
