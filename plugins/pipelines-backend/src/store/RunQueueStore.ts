import {
  PipelineRunFilter,
  PipelineRunView,
  RunTrigger,
} from '@internal/plugin-pipelines-common';

/** What is needed to queue a run. */
export type NewRun = {
  component: string;
  /** The component's `spec.type`, for the default pipeline. */
  componentType?: string;
  repository?: string;
  cloneUrl?: string;
  ref?: string;
  branch?: string;
  commit?: string;
  /** The repository's default branch, when the delivery named it. */
  defaultBranch?: string;
  trigger: RunTrigger;
  /** The delivery it comes from: one run per delivery and component. */
  deliveryId?: number;
};

/**
 * A run as the engine keeps it: the API's view of it (without the steps and
 * artifacts, which are stored on their own) and what the engine needs
 * besides.
 */
export type RunRecord = Omit<
  PipelineRunView,
  'trigger' | 'steps' | 'artifacts'
> & {
  componentType?: string;
  cloneUrl?: string;
  defaultBranch?: string;
  trigger: RunTrigger;
  deliveryId?: number;
  /** The current attempt re-runs only what did not succeed before. */
  rerunFailedOnly: boolean;
  /** Set when someone asked to cancel the run while it was running. */
  cancelReason?: string;
  claimedBy?: string;
  leaseExpiresAt?: string;
};

/**
 * The durable run queue: runs are queued, claimed by one engine at a time
 * under a lease, cancelled, ended and queued again; and read.
 */
export interface RunQueueStore {
  /**
   * Queues a run. A second run for the same delivery and component is not
   * created: the existing one is returned with `created: false`.
   */
  enqueue(
    run: NewRun,
    now?: Date,
  ): Promise<{ run: RunRecord; created: boolean }>;
  /** The run, or a NotFoundError. */
  get(id: string): Promise<RunRecord>;
  find(id: string): Promise<RunRecord | undefined>;
  /** Newest first, a page at a time. */
  list(filter: PipelineRunFilter & { limit: number }): Promise<RunRecord[]>;
  /** The runs of these ids that exist, in no particular order. */
  listByIds(ids: string[]): Promise<RunRecord[]>;
  /** The runs of the components that ended with `status` in `[from, to)`. */
  listFinished(filter: {
    components: string[];
    status: 'succeeded' | 'failed' | 'cancelled';
    from: Date;
    to: Date;
  }): Promise<RunRecord[]>;
  /**
   * The queued or running runs of the run's component and branch created
   * before it, other than itself: what a newer push supersedes.
   */
  listSuperseded(run: RunRecord): Promise<RunRecord[]>;
  /**
   * Claims the oldest queued run whose component has fewer than
   * `perComponentLimit` runs running. Resolves undefined when there is none
   * (or another engine took each candidate first).
   */
  claimNext(options: {
    owner: string;
    leaseMs: number;
    perComponentLimit: number;
    now?: Date;
  }): Promise<RunRecord | undefined>;
  /**
   * Extends the holder's lease. False when the run is no longer the
   * holder's or no longer running: the holder must stop working on it.
   */
  renewLease(
    id: string,
    owner: string,
    leaseMs: number,
    now?: Date,
  ): Promise<boolean>;
  /** Ends a run the caller holds. False when it no longer holds it. */
  finish(
    id: string,
    owner: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    reason?: string,
    now?: Date,
  ): Promise<boolean>;
  /**
   * Cancels a run: a queued one at once; a running one is marked, and its
   * holder stops it (it reads the mark when it renews its lease). Returns
   * the run as it is afterwards; a finished run is left as it is.
   */
  requestCancel(id: string, reason: string, now?: Date): Promise<RunRecord>;
  /**
   * Runs held by an engine whose lease ran out (it died or lost the
   * database) are failed with `reason`, with their running steps; the ids
   * are returned.
   */
  failExpired(reason: string, now?: Date): Promise<string[]>;
  /**
   * Queues a finished run again as its next attempt. With `failedOnly`, the
   * steps that succeeded in the attempt before are taken over (status and
   * outputs) and not run again. Undefined when the run has not finished.
   */
  rerun(
    id: string,
    failedOnly: boolean,
    now?: Date,
  ): Promise<RunRecord | undefined>;
}
