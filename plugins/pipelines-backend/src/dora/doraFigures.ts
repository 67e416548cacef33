/**
 * The four DORA figures from deployments (the Environments plugin's) and
 * pipeline runs (this plugin's), as plain data in and out: no I/O here, so
 * every definition is unit-tested with hand-built records. The README's
 * "DORA figures" section states the definitions this code implements.
 */
import {
  DoraBand,
  DoraFigures,
  DoraWeek,
} from '@internal/plugin-pipelines-common';

/** A deployment into the environment that counts as "deployed". */
export type DoraDeployment = {
  id: string;
  component: string;
  status: 'pending' | 'in_progress' | 'succeeded' | 'failed' | 'rolled_back';
  createdAt: string;
  finishedAt?: string;
  /** Set on a rollback: the deployment it rolls back. */
  rollbackOf?: string;
  /** The change it carries, when a pipeline run of this plugin built it. */
  run?: DoraRun;
};

/** The run a change came from. */
export type DoraRun = {
  id: string;
  /**
   * When the change entered the pipeline: the run's creation, seconds after
   * the push arrived (runs record no commit timestamp).
   */
  createdAt: string;
};

/** A failed run on the component's default branch. */
export type DoraFailedRun = {
  id: string;
  component: string;
  finishedAt: string;
};

/**
 * The figures of a window, per week and in total: the API's `DoraFigures`
 * without whose they are, which the caller adds.
 */
export type DoraWindowFigures = Omit<
  DoraFigures,
  'environment' | 'components' | 'truncated'
>;

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

const ms = (iso: string) => Date.parse(iso);

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Monday 00:00 UTC on or before the instant. */
function mondayOf(time: number): number {
  const day = new Date(time);
  day.setUTCHours(0, 0, 0, 0);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return day.getTime() - sinceMonday * DAY * 1000;
}

/**
 * Bands of the 2023 Accelerate State of DevOps report (dora.dev). Where its
 * low band overlaps the medium one, everything past medium is low; its change
 * failure rates (5, 10, 15, 64 %) are cluster values, used as upper bounds.
 */
export const DORA_BANDS = {
  /** Deployments per day at least: on demand, daily to weekly, weekly to monthly. */
  deploymentFrequency: (perDay: number): DoraBand => {
    if (perDay >= 1) return 'elite';
    if (perDay * 7 >= 1) return 'high';
    if (perDay * 30 >= 1) return 'medium';
    return 'low';
  },
  leadTime: (seconds: number): DoraBand => {
    if (seconds < DAY) return 'elite';
    if (seconds <= WEEK) return 'high';
    if (seconds <= MONTH) return 'medium';
    return 'low';
  },
  changeFailureRate: (rate: number): DoraBand => {
    if (rate <= 0.05) return 'elite';
    if (rate <= 0.1) return 'high';
    if (rate <= 0.15) return 'medium';
    return 'low';
  },
  timeToRestore: (seconds: number): DoraBand => {
    if (seconds < HOUR) return 'elite';
    if (seconds < DAY) return 'high';
    if (seconds <= WEEK) return 'medium';
    return 'low';
  },
};

/**
 * A change that failed: the deployment failed, was rolled back, or a
 * rollback of it was started (it may still be in flight or have failed).
 */
function failedChangeIds(deployments: DoraDeployment[]): Set<string> {
  const ids = new Set<string>();
  for (const d of deployments) {
    if (d.status === 'failed' || d.status === 'rolled_back') ids.add(d.id);
    if (d.rollbackOf) ids.add(d.rollbackOf);
  }
  return ids;
}

type Outage = { component: string; start: number; restoredAt?: number };

/**
 * Per component: an outage starts at a failure (a failed change, or a failed
 * run on the default branch) and ends at the first deployment after it that
 * succeeded and stayed so; failures before that end belong to the same
 * outage, so one incident is not counted once per failed attempt to fix it.
 */
function outagesOf(
  deployments: DoraDeployment[],
  failedRuns: DoraFailedRun[],
  failed: Set<string>,
): Outage[] {
  const components = new Set([
    ...deployments.map(d => d.component),
    ...failedRuns.map(r => r.component),
  ]);
  const outages: Outage[] = [];
  for (const component of components) {
    const failures = [
      ...deployments
        .filter(d => d.component === component && failed.has(d.id))
        // A failed deployment fails when it ends; a rolled-back one was live
        // (and bad) from when it succeeded.
        .filter(d => d.status !== 'pending' && d.status !== 'in_progress')
        .map(d => ms(d.finishedAt ?? d.createdAt)),
      ...failedRuns
        .filter(r => r.component === component)
        .map(r => ms(r.finishedAt)),
    ].sort((a, b) => a - b);
    const restores = deployments
      .filter(
        d =>
          d.component === component &&
          d.status === 'succeeded' &&
          d.finishedAt &&
          !failed.has(d.id),
      )
      .map(d => ms(d.finishedAt!))
      .sort((a, b) => a - b);
    let i = 0;
    while (i < failures.length) {
      const start = failures[i];
      const restoredAt = restores.find(t => t > start);
      outages.push({ component, start, restoredAt });
      if (restoredAt === undefined) break;
      while (i < failures.length && failures[i] < restoredAt) i++;
    }
  }
  return outages;
}

/**
 * The DORA figures of the deployments into one environment, and of the
 * failed default-branch runs, for the window `[from, to)`. Deployments and
 * failed runs may reach past the window: a failure inside it may be restored
 * after it, and is measured so.
 */
export function computeDoraFigures(input: {
  from: Date;
  to: Date;
  deployments: DoraDeployment[];
  failedRuns: DoraFailedRun[];
}): DoraWindowFigures {
  const from = input.from.getTime();
  const to = input.to.getTime();
  const inWindow = (t: number) => t >= from && t < to;
  const failed = failedChangeIds(input.deployments);

  // Rollbacks remediate; they deliver no change, so they count in no figure
  // but time to restore.
  const changes = input.deployments.filter(d => !d.rollbackOf);
  const delivered = changes.filter(
    d =>
      (d.status === 'succeeded' || d.status === 'rolled_back') &&
      d.finishedAt &&
      inWindow(ms(d.finishedAt)),
  );
  const leadSeconds = (d: DoraDeployment) =>
    d.run ? (ms(d.finishedAt!) - ms(d.run.createdAt)) / 1000 : undefined;
  const ended = changes.filter(
    d =>
      d.status !== 'pending' &&
      d.status !== 'in_progress' &&
      inWindow(ms(d.createdAt)),
  );
  const outages = outagesOf(input.deployments, input.failedRuns, failed).filter(
    o => inWindow(o.start),
  );
  const restoreSeconds = (o: Outage) => (o.restoredAt! - o.start) / 1000;

  const weeks: DoraWeek[] = [];
  for (let start = mondayOf(from); start < to; start += WEEK * 1000) {
    const lo = Math.max(start, from);
    const hi = Math.min(start + WEEK * 1000, to);
    const inWeek = (t: number) => t >= lo && t < hi;
    const weekDelivered = delivered.filter(d => inWeek(ms(d.finishedAt!)));
    const weekEnded = ended.filter(d => inWeek(ms(d.createdAt)));
    const weekFailed = weekEnded.filter(d => failed.has(d.id)).length;
    const weekRestored = outages.filter(
      o => inWeek(o.start) && o.restoredAt !== undefined,
    );
    weeks.push({
      start: new Date(lo).toISOString(),
      end: new Date(hi).toISOString(),
      deployments: weekDelivered.length,
      ...optional(
        'leadTimeSeconds',
        median(weekDelivered.flatMap(d => measured(leadSeconds(d)))),
      ),
      changes: weekEnded.length,
      failedChanges: weekFailed,
      ...optional(
        'changeFailureRate',
        weekEnded.length ? weekFailed / weekEnded.length : undefined,
      ),
      restored: weekRestored.length,
      ...optional(
        'timeToRestoreSeconds',
        median(weekRestored.map(restoreSeconds)),
      ),
    });
  }

  const days = Math.max(to - from, 1) / 1000 / DAY;
  const leads = delivered.flatMap(d => measured(leadSeconds(d)));
  const leadMedian = median(leads);
  const failedTotal = ended.filter(d => failed.has(d.id)).length;
  const rate = ended.length ? failedTotal / ended.length : undefined;
  const restored = outages.filter(o => o.restoredAt !== undefined);
  const restoreMedian = median(restored.map(restoreSeconds));
  const anyDeployment = input.deployments.some(d => inWindow(ms(d.createdAt)));
  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    weeks,
    deploymentFrequency: {
      deployments: delivered.length,
      perWeek: (delivered.length / days) * 7,
      ...optional(
        'band',
        anyDeployment
          ? DORA_BANDS.deploymentFrequency(delivered.length / days)
          : undefined,
      ),
    },
    leadTime: {
      ...optional('medianSeconds', leadMedian),
      samples: leads.length,
      withoutRun: delivered.filter(d => !d.run).length,
      ...optional(
        'band',
        leadMedian === undefined ? undefined : DORA_BANDS.leadTime(leadMedian),
      ),
    },
    changeFailureRate: {
      failed: failedTotal,
      total: ended.length,
      ...optional('rate', rate),
      ...optional(
        'band',
        rate === undefined ? undefined : DORA_BANDS.changeFailureRate(rate),
      ),
    },
    timeToRestore: {
      ...optional('medianSeconds', restoreMedian),
      restored: restored.length,
      open: outages.length - restored.length,
      ...optional(
        'band',
        restoreMedian === undefined
          ? undefined
          : DORA_BANDS.timeToRestore(restoreMedian),
      ),
    },
  };
}

/** A lead time, unless clocks disagree so far that it comes out negative. */
function measured(seconds: number | undefined): number[] {
  return seconds === undefined || seconds < 0 ? [] : [seconds];
}

/** `{ [key]: value }`, or nothing when the value is undefined. */
function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
