import { HumanDuration } from '@backstage/types';

export interface Config {
  pipelines?: {
    executors?: {
      /**
       * The Kubernetes executor: runs each pipeline step as a Job in a
       * cluster, in a workspace PersistentVolumeClaim per run.
       */
      kubernetes?: {
        /** Switches the Kubernetes executor on. Off unless set to true. */
        enabled?: boolean;
        /**
         * The cluster the Jobs run in: `inCluster: true` for the service
         * account of the pod the backend runs in, or `url` and `token`.
         */
        cluster?: {
          /** Use the backend pod's own service account and cluster. */
          inCluster?: boolean;
          /** The API server's URL, e.g. `https://k8s.example.com:6443`. */
          url?: string;
          /**
           * Bearer token of the service account the executor works as.
           * @visibility secret
           */
          token?: string;
          /** The API server's CA certificate (PEM), base64-encoded. */
          caData?: string;
          /** Skips the check of the API server's certificate. Default false. */
          skipTLSVerify?: boolean;
        };
        /** The namespace the claims, Secrets and Jobs go in. Default `default`. */
        namespace?: string;
        /** The image of steps that do not name one. Default `alpine:3.22`. */
        defaultImage?: string;
        /**
         * The image of the clone Job: git and a POSIX shell. Default
         * `alpine/git:latest`; pin a version in production.
         */
        cloneImage?: string;
        /** The storage class of the workspace claims. Default the cluster's. */
        storageClassName?: string;
        /** The size of each run's workspace claim. Default `5Gi`. */
        workspaceSize?: string;
        /**
         * The workspace claims' access mode: `ReadWriteOnce` (default),
         * `ReadWriteMany` (steps of one run may run on several nodes) or
         * `ReadWriteOncePod` (steps of one run never run at the same time).
         */
        accessMode?: string;
        /** Where the workspace claim is mounted in the pods. Default `/workspace`. */
        workspacePath?: string;
        /** Requests and limits of the step and clone containers. */
        resources?: {
          /** e.g. `{ cpu: 500m, memory: 1Gi }` */
          requests?: { [name: string]: string };
          /** e.g. `{ memory: 2Gi }` */
          limits?: { [name: string]: string };
        };
        /** The service account the pods run as. Default the namespace's default. */
        serviceAccountName?: string;
        /** The timeout of steps that do not set their own. Default 1 hour. */
        stepTimeout?: HumanDuration | string;
        /**
         * How long the clone Job may take, scheduling and image pull
         * included. Default 10 minutes.
         */
        checkoutTimeout?: HumanDuration | string;
        /** The pods' termination grace period. Default 10 seconds. */
        killGracePeriod?: HumanDuration | string;
        /**
         * The most bytes of log a step may write before it is stopped; a
         * step may set a lower limit. Default 10 MiB.
         */
        maxOutputBytes?: number;
        /** How often a running step's pod is read. Default 2 seconds. */
        pollInterval?: HumanDuration | string;
        /**
         * How long finished Jobs are kept for inspection
         * (`ttlSecondsAfterFinished`); releasing the run deletes them
         * earlier. Default 1 hour.
         */
        jobTtl?: HumanDuration | string;
      };
    };
  };
}
