import { HumanDuration } from '@backstage/types';

export interface Config {
  environments?: {
    /**
     * Environments to create at start-up when they do not exist yet, so a new
     * installation starts with its promotion path. Existing environments are
     * never changed from here; change them through the API.
     */
    initial?: Array<{
      name: string;
      title?: string;
      description?: string;
      tier: 'development' | 'staging' | 'production' | 'preview';
      promotionOrder: number;
      /** Entity ref of the owning group. */
      owner: string;
      target:
        | { type: 'kubernetes'; cluster: string; namespacePattern: string }
        | { type: 'external'; system?: string };
      protected?: boolean;
      /** Groups that approve promotions into it when protected; default the owner. */
      approvers?: string[];
    }>;
    /**
     * Preview environments, one per component and pull request. Without this
     * block previews cannot be created (503).
     */
    previews?: {
      /**
       * Where previews deploy to. For Kubernetes, the namespace pattern
       * should hold `{environment}` (the preview's name) so each preview
       * gets namespaces of its own.
       */
      target:
        | { type: 'kubernetes'; cluster: string; namespacePattern: string }
        | { type: 'external'; system?: string };
      /**
       * How long a preview lives without activity; a deployment into it
       * starts this over. Default 3 days. An object such as `{ days: 3 }`,
       * an ISO 8601 duration (`P3D`) or a string such as `3d`.
       */
      defaultTtl?: HumanDuration | string;
      /** The longest TTL a request may ask for. Default 14 days. */
      maxTtl?: HumanDuration | string;
      /** Where previews sort among environments; default 0. */
      promotionOrder?: number;
      /** How often expired previews are torn down. Default 10 minutes. */
      teardownFrequency?: HumanDuration | string;
    };
    /** Encryption of secret variables at rest (AES-256-GCM). */
    secrets?: {
      /**
       * The encryption keys. The first encrypts new secrets; every listed key
       * decrypts. To rotate, put a new key first and keep the old one: a
       * scheduled task re-encrypts every secret under the new key and logs
       * when none is left under an older one, which may then be removed.
       * Without a key, plain variables work and setting a secret answers 503.
       */
      keys?: Array<{
        /** Stored beside each ciphertext; letters, digits, '.', '_', '-'. */
        id: string;
        /**
         * The base64 of 32 random bytes (`openssl rand -base64 32`). A key
         * listed without it (an unset environment variable) is not used.
         * @visibility secret
         */
        secret?: string;
      }>;
    };
  };
}
