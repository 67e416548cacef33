export interface Config {
  pipelines?: {
    images?: {
      /** The registry image stages push to. */
      registry?: {
        /** `host` or `host:port`, without a scheme, e.g. `registry.example.com`. */
        host: string;
        /** Plain HTTP, or TLS without certificate verification. Default false. */
        insecure?: boolean;
        /** With `password`: credentials for pushing (and pulling base images). */
        username?: string;
        /**
         * With `username`.
         * @visibility secret
         */
        password?: string;
      };
    };
  };
}
