export interface Config {
  environments?: {
    kubernetes?: {
      /**
       * Kubernetes clusters environments deploy to: an environment with a
       * `kubernetes` target names one in `target.cluster`. The Kubernetes
       * plugin also shows the workloads of the clusters environments use.
       */
      clusters?: Array<{
        /** The name environment targets refer to. */
        name: string;
        /** Shown in the Kubernetes plugin; the name when absent. */
        title?: string;
        /** The API server's URL, e.g. `https://k8s.example.com:6443`. */
        url: string;
        /**
         * Bearer token of the service account that applies deployments. It
         * needs get/create/patch/delete on deployments, services, secrets
         * (and namespaces, to create missing ones), and list/watch on
         * deployments.
         * @visibility secret
         */
        serviceAccountToken: string;
        /** Base64 PEM of the CA that signed the API server's certificate. */
        caData?: string;
        /** Do not check the API server's certificate (test clusters only). */
        skipTLSVerify?: boolean;
        /** Tells the Kubernetes plugin the cluster has no metrics server. */
        skipMetricsLookup?: boolean;
      }>;
    };
  };
}
