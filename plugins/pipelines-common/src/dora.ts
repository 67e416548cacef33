/** DORA's performance bands, elite best. @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/**
 * One week of DORA figures: Monday 00:00 UTC to the next Monday, the first
 * and last clipped to the window.
 *
 * @public
 */
export type DoraWeek = {
  start: string;
  end: string;
  /** Changes that reached the environment this week. */
  deployments: number;
  /** Median lead time of those whose run is known. */
  leadTimeSeconds?: number;
  /** Deployments started this week that ended. */
  changes: number;
  /** Of those: failed, rolled back or with a rollback started. */
  failedChanges: number;
  changeFailureRate?: number;
  /** Outages that started this week and have been restored. */
  restored: number;
  /** Median time to restore of those. */
  timeToRestoreSeconds?: number;
};

/**
 * The DORA figures of a component, or of a team's components, for one
 * environment and window (`GET /dora`). The pipelines backend's README
 * defines each figure.
 *
 * @public
 */
export type DoraFigures = {
  environment: string;
  /** The components counted. */
  components: string[];
  /** Components whose oldest deployments in the window could not be read. */
  truncated: string[];
  from: string;
  to: string;
  weeks: DoraWeek[];
  deploymentFrequency: {
    deployments: number;
    perWeek: number;
    band?: DoraBand;
  };
  leadTime: {
    medianSeconds?: number;
    /** Deployments measured: those whose run is known. */
    samples: number;
    /** Deployments no known run produced: counted, not measured. */
    withoutRun: number;
    band?: DoraBand;
  };
  changeFailureRate: {
    failed: number;
    total: number;
    rate?: number;
    band?: DoraBand;
  };
  timeToRestore: {
    medianSeconds?: number;
    restored: number;
    /** Outages that started in the window and are not restored yet. */
    open: number;
    band?: DoraBand;
  };
};

/**
 * Whose figures: one component, or the components a group owns; the
 * environment (default `production`) and the window (ISO dates; default the
 * last 90 days).
 *
 * @public
 */
export type DoraFilter = ({ component: string } | { owner: string }) & {
  environment?: string;
  from?: string;
  to?: string;
};
