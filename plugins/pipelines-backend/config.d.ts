import { HumanDuration } from '@backstage/types';

export interface Config {
  pipelines?: {
    deliveries?: {
      /**
       * How long webhook deliveries are kept; older ones are deleted by an
       * hourly task. Default 90 days. An object such as `{ days: 30 }`, an
       * ISO 8601 duration (`P30D`) or a string such as `30d`.
       */
      retention?: HumanDuration | string;
    };
    /** The run engine. */
    engine?: {
      /**
       * The id of the executor that runs pipelines (added by a backend
       * module through the `pipelines.executors` extension point). Default
       * `local`.
       */
      executor?: string;
      /** How many runs this backend replica executes at once. Default 4. */
      concurrency?: number;
      /**
       * How many runs of one component run at once, across replicas; the
       * others wait queued. Default 2.
       */
      perComponentLimit?: number;
      /**
       * How long a replica's claim on a run holds without renewal; a run
       * whose replica died is failed (interrupted by a backend restart)
       * once it runs out. Default 60 seconds.
       */
      lease?: HumanDuration | string;
      /**
       * How often a replica renews its claims and looks for cancels; at
       * most half the lease. Default 10 seconds.
       */
      heartbeat?: HumanDuration | string;
      /** How often the queue is polled. Default 2 seconds. */
      pollInterval?: HumanDuration | string;
      /** The most log chunks kept per step run. Default 20000. */
      maxLogChunksPerStep?: number;
      /**
       * Whether a push cancels the queued and running runs of the same
       * component and branch. Default true.
       */
      cancelSuperseded?: boolean;
      /**
       * How long a deploy stage waits for each deployment it asked the
       * Environments plugin for to end (succeeded or failed); past it the
       * stage fails, and the deployment goes on. Default 30 minutes.
       */
      deployTimeout?: HumanDuration | string;
    };
    /** How runs reach their repositories. */
    git?: {
      /**
       * Clone from a mirror instead, like git's `insteadOf`: a repository
       * URL starting with `from` is cloned from `to` followed by the rest of
       * it (the longest matching `from` wins). Runs, events and links keep
       * the repository's own URL.
       */
      rewrites?: Array<{
        /** A URL prefix, e.g. `https://github.com/acme/`. */
        from: string;
        /** What replaces it, e.g. `https://git-mirror.internal/acme/` or `file:///srv/repos/`. */
        to: string;
      }>;
    };
  };
}
