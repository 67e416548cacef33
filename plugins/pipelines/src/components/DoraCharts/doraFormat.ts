import { DoraBand } from '@internal/plugin-pipelines-common';
import { DateTime } from 'luxon';

/** A duration in seconds as people read it: minutes, hours or days. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** A week's start as an axis label, e.g. `Nov 2`. */
export function weekLabel(start: string): string {
  return DateTime.fromISO(start, { zone: 'utc' }).toFormat('LLL d');
}

/** How each band reads, and its colour (green to red). */
export const BAND_STYLE: Record<DoraBand, { label: string; color: string }> = {
  elite: { label: 'Elite', color: '#1b5e20' },
  high: { label: 'High', color: '#2e7d32' },
  medium: { label: 'Medium', color: '#ef6c00' },
  low: { label: 'Low', color: '#c62828' },
};

/** What each band means per figure, as DORA's report puts it. */
export const BAND_HINTS = {
  deploymentFrequency:
    'Elite: daily or more; high: weekly or more; medium: monthly or more; low: less often',
  leadTime:
    'Elite: under a day; high: up to a week; medium: up to a month; low: longer',
  changeFailureRate:
    'Elite: up to 5 %; high: up to 10 %; medium: up to 15 %; low: more',
  timeToRestore:
    'Elite: under an hour; high: under a day; medium: up to a week; low: longer',
};
