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
