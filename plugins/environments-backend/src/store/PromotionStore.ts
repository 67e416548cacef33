import { Deployment, Promotion } from '@internal/plugin-environments-common';

/** Persistence of promotions. */
export interface PromotionStore {
  /**
   * A promotion of the source deployment's version to `to`: awaiting
   * approval, or already deployed when `deploymentId` is given.
   */
  create(options: {
    source: Deployment;
    to: string;
    requestedBy: string;
    deploymentId?: string;
  }): Promise<Promotion>;
  /** @throws NotFoundError */
  get(id: string): Promise<Promotion>;
  /** Newest first, of one component or of all. */
  list(component?: string): Promise<Promotion[]>;
  /**
   * Records the deployment a promotion started. Only a promotion still
   * awaiting approval moves on, so two approvers racing deploy once.
   * @throws ConflictError when it is no longer awaiting approval.
   */
  markDeployed(
    id: string,
    deploymentId: string,
    approvedBy?: string,
  ): Promise<Promotion>;
}
