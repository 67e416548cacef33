import { DoraFigures, DoraWeek } from '@internal/plugin-pipelines-common';
import { formatDuration, weekLabel } from './doraFormat';

/** The four keys, in the order the page shows them. */
export const DORA_FIGURE_NAMES = [
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'timeToRestore',
] as const;

/** One of DORA's four keys, named as in `DoraFigures`. */
export type DoraFigureName = (typeof DORA_FIGURE_NAMES)[number];

/** A week as the charts plot it: counts, and medians in hours. */
export type WeekRow = {
  week: string;
  deployments: number;
  leadTimeHours: number | null;
  failed: number;
  succeeded: number;
  timeToRestoreHours: number | null;
};

/** A plotted series of week rows; several series stack their bars. */
export type WeekSeries = {
  dataKey: Exclude<keyof WeekRow, 'week'>;
  name: string;
  color: string;
};

/** How one figure reads: its card's texts and its weekly chart. */
export type FigureView = {
  title: string;
  headline(figures: DoraFigures): string;
  detail(figures: DoraFigures): string;
  /** Counts are bars in whole numbers; medians a line in hours, gaps bridged. */
  chart: 'count' | 'hours';
  series: WeekSeries[];
};

const hours = (seconds?: number) =>
  seconds === undefined ? null : Math.round((seconds / 3600) * 10) / 10;

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const durationOrDash = (seconds?: number) =>
  seconds === undefined ? '–' : formatDuration(seconds);

/** The API's weeks as chart rows. */
export function weekRows(weeks: DoraWeek[]): WeekRow[] {
  return weeks.map(w => ({
    week: weekLabel(w.start),
    deployments: w.deployments,
    leadTimeHours: hours(w.leadTimeSeconds),
    failed: w.failedChanges,
    succeeded: w.changes - w.failedChanges,
    timeToRestoreHours: hours(w.timeToRestoreSeconds),
  }));
}

/** Each figure's card. */
export const FIGURE_VIEWS: Record<DoraFigureName, FigureView> = {
  deploymentFrequency: {
    title: 'Deployment frequency',
    headline: f => `${f.deploymentFrequency.perWeek.toFixed(1)} / week`,
    detail: f =>
      `${plural(f.deploymentFrequency.deployments, 'deployment')} into ${
        f.environment
      }`,
    chart: 'count',
    series: [{ dataKey: 'deployments', name: 'Deployments', color: '#1976d2' }],
  },
  leadTime: {
    title: 'Lead time for changes',
    headline: f => durationOrDash(f.leadTime.medianSeconds),
    detail: f =>
      `Median from run start to deployment, ${f.leadTime.samples} measured${
        f.leadTime.withoutRun
          ? `, ${f.leadTime.withoutRun} without a known run`
          : ''
      }`,
    chart: 'hours',
    series: [
      {
        dataKey: 'leadTimeHours',
        name: 'Median lead time (h)',
        color: '#6a1b9a',
      },
    ],
  },
  changeFailureRate: {
    title: 'Change failure rate',
    headline: f =>
      f.changeFailureRate.rate === undefined
        ? '–'
        : `${Math.round(f.changeFailureRate.rate * 100)} %`,
    detail: f =>
      `${f.changeFailureRate.failed} of ${f.changeFailureRate.total} changes failed or were rolled back`,
    chart: 'count',
    series: [
      { dataKey: 'succeeded', name: 'Succeeded', color: '#2e7d32' },
      { dataKey: 'failed', name: 'Failed', color: '#c62828' },
    ],
  },
  timeToRestore: {
    title: 'Time to restore',
    headline: f => durationOrDash(f.timeToRestore.medianSeconds),
    detail: f =>
      `Median over ${plural(f.timeToRestore.restored, 'restored outage')}${
        f.timeToRestore.open ? `, ${f.timeToRestore.open} open` : ''
      }`,
    chart: 'hours',
    series: [
      {
        dataKey: 'timeToRestoreHours',
        name: 'Median time to restore (h)',
        color: '#ef6c00',
      },
    ],
  },
};
