import {
  Deployment,
  DeploymentHead,
  DeploymentStatusReport,
  DeploymentTrigger,
  Artifact,
} from '@internal/plugin-environments-common';

/** What the store needs to record a new deployment. */
export interface NewDeployment {
  component: string;
  environment: string;
  version: string;
  artifact: Artifact;
  trigger: DeploymentTrigger;
  deployer: string;
  /** The deployment this one rolls back. */
  rollbackOf?: string;
}

/** Persistence of deployments. */
export interface DeploymentStore {
  /**
   * Records a pending deployment, linked to the latest succeeded one of the
   * component in the environment.
   * @throws ConflictError when one is already pending or in progress there.
   */
  create(input: NewDeployment): Promise<Deployment>;
  /** @throws NotFoundError */
  get(id: string): Promise<Deployment>;
  /**
   * Moves a deployment on.
   * @throws ConflictError when it is already finished.
   */
  report(id: string, report: DeploymentStatusReport): Promise<Deployment>;
  /**
   * Marks a succeeded deployment as rolled back, once the rollback that
   * replaced it succeeded.
   */
  markRolledBack(id: string): Promise<void>;
  /**
   * What runs where: per component and environment, the latest deployment
   * and the latest succeeded one, for a component, an environment or both.
   */
  current(filter: {
    component?: string;
    environment?: string;
  }): Promise<DeploymentHead[]>;
  /** Newest first. */
  list(filter: {
    component?: string;
    environment?: string;
    limit?: number;
  }): Promise<Deployment[]>;
}
