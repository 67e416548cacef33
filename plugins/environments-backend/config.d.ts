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
  };
}
