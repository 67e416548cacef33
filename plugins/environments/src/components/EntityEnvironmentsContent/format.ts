import { Deployment } from '@internal/plugin-environments-common';
import { DateTime } from 'luxon';

/** "3 minutes ago". */
export const age = (iso: string) => DateTime.fromISO(iso).toRelative() ?? iso;

/** The first 12 hex digits of a digest, as registries show it. */
export const shortDigest = (digest: string) =>
  digest.replace('sha256:', '').slice(0, 12);

/** How long a finished deployment took; a dash while it runs. */
export function duration(deployment: Deployment): string {
  if (!deployment.finishedAt) return '—';
  const seconds = Math.round(
    DateTime.fromISO(deployment.finishedAt)
      .diff(DateTime.fromISO(deployment.createdAt))
      .as('seconds'),
  );
  return seconds < 60
    ? `${seconds} s`
    : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * Who or what started a deployment. The API's trigger names its user,
 * service or pipeline run without promising which goes with which type, so
 * whatever it has is shown, and the type when it has none.
 */
export function describeTrigger(deployment: Deployment): string {
  const { trigger } = deployment;
  if (trigger.type === 'pipeline' && trigger.pipelineRun) {
    return `pipeline run ${trigger.pipelineRun}`;
  }
  return trigger.user ?? trigger.service ?? trigger.type;
}
