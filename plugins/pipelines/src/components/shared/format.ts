import { DateTime, Duration } from 'luxon';
import {
  FINAL_RUN_STATUSES,
  PipelineRunView,
  RunStatus,
} from '@internal/plugin-pipelines-common';

/** Whether a run's status can still change. */
export function isFinal(status: string): boolean {
  return (FINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/** The first 7 characters, as git shows a commit. */
export function shortCommit(commit?: string): string | undefined {
  return commit?.slice(0, 7);
}

/** How a run came about, in a word or two. */
export function triggerLabel(trigger: PipelineRunView['trigger']): string {
  switch (trigger.type) {
    case 'push':
      return 'push';
    case 'tag':
      return 'tag push';
    case 'pull_request':
      return trigger.number
        ? `pull request #${trigger.number}`
        : 'pull request';
    case 'manual':
      return 'manual';
    case 'schedule':
      return 'schedule';
    case 'rerun':
      return trigger.failedOnly ? 're-run (failed steps)' : 're-run';
    default:
      return trigger.type;
  }
}

/** What the run built: the branch, the tag or the pull request's branch. */
export function refLabel(run: PipelineRunView): string | undefined {
  const trigger = run.trigger;
  if (trigger.type === 'tag' && typeof trigger.tag === 'string') {
    return trigger.tag;
  }
  if (run.branch) return run.branch;
  if (
    trigger.type === 'pull_request' &&
    typeof trigger.headBranch === 'string'
  ) {
    return trigger.headBranch;
  }
  return run.ref?.replace(/^refs\/(heads|tags)\//, '');
}

/**
 * Who the run is for: the requester of a manual run or re-run; for a
 * delivery's run the commit's author, which only the delivery records.
 */
export function authorOf(
  run: PipelineRunView,
  deliveryAuthors: Map<number, string>,
): string | undefined {
  const trigger = run.trigger;
  if (typeof trigger.requestedBy === 'string') return trigger.requestedBy;
  if (typeof trigger.deliveryId === 'number') {
    return deliveryAuthors.get(trigger.deliveryId);
  }
  return undefined;
}

/** `1m 05s`, `2h 03m`, `12s`: how long from start to end (or to now). */
export function formatDuration(
  startedAt: string | undefined,
  finishedAt: string | undefined,
  now: number,
): string | undefined {
  if (!startedAt) return undefined;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  const ms = Math.max(0, end - start);
  const d = Duration.fromMillis(ms).shiftTo('hours', 'minutes', 'seconds');
  if (d.hours > 0) return d.toFormat("h'h' mm'm'");
  if (d.minutes > 0) return d.toFormat("m'm' ss's'");
  return `${Math.floor(d.seconds)}s`;
}

/** `3 minutes ago`. */
export function relativeTime(iso?: string): string | undefined {
  if (!iso) return undefined;
  return DateTime.fromISO(iso).toRelative() ?? undefined;
}

/** The full local date and time, for a tooltip. */
export function absoluteTime(iso?: string): string | undefined {
  if (!iso) return undefined;
  return DateTime.fromISO(iso).toLocaleString(
    DateTime.DATETIME_MED_WITH_SECONDS,
  );
}

/** Every run status, for filters. */
export const RUN_STATUSES: RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
];
