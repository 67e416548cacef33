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

/** Who or what started a deployment. */
export function describeTrigger(deployment: Deployment): string {
  const { trigger } = deployment;
  if (trigger.type === 'user') return trigger.user;
  if (trigger.type === 'pipeline') return `pipeline run ${trigger.pipelineRun}`;
  return trigger.service;
}
