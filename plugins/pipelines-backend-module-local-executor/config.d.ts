import { HumanDuration } from '@backstage/types';

export interface Config {
  pipelines?: {
    executors?: {
      /**
       * The local executor: runs pipeline steps as processes on the
       * backend's host, in a workspace folder per run.
       */
      local?: {
        /**
         * Switches the local executor on. Off unless set to true: steps run
         * as the backend's user on its host, which suits one machine, not a
         * shared production backend.
         */
        enabled?: boolean;
        /**
         * The folder workspaces are created in, one per run (relative paths
         * are from the backend's working directory). Default
         * `launchpad-pipelines` in the system's temporary folder.
         */
        workspaceRoot?: string;
        /**
         * The timeout of steps that do not set their own, e.g. `30m`.
         * Default 1 hour.
         */
        stepTimeout?: HumanDuration | string;
        /** How long the checkout of a run's commit may take. Default 10 minutes. */
        checkoutTimeout?: HumanDuration | string;
        /**
         * How long stopped processes get between SIGTERM and SIGKILL.
         * Default 10 seconds.
         */
        killGracePeriod?: HumanDuration | string;
        /**
         * The most bytes of stdout and stderr a step may write before it is
         * stopped; a step may set a lower limit. Default 10 MiB.
         */
        maxOutputBytes?: number;
        /** `PATH` for git and the steps. Default the backend's own `PATH`. */
        path?: string;
        /**
         * Names of the backend's environment variables that git and the
         * steps also get, e.g. `HTTPS_PROXY` or `GIT_SSH_COMMAND`. None by
         * default: the backend's environment holds its secrets.
         */
        passEnvironment?: string[];
      };
    };
  };
}
