import { createExtensionPoint } from '@backstage/backend-plugin-api';
import {
  Deployment,
  DeploymentStatusReport,
  Environment,
} from '@internal/plugin-environments-common';

/** One environment variable for a workload. @public */
export type DeployVariable = {
  name: string;
  value: string;
  /** Set for secrets: the deployer keeps the value out of plain manifests and logs. */
  secret: boolean;
};

/** Passes a deployer's progress back to the Environment Manager. @public */
export interface DeploymentReporter {
  /** Records progress; a terminal status finishes the deployment. */
  report(report: DeploymentStatusReport): Promise<void>;
}

/**
 * Carries deployments out for the environments whose deploy target has its
 * type: `external` records what an outside CD system reports, `kubernetes`
 * applies workloads to a cluster.
 *
 * @public
 */
export interface Deployer {
  /** The deploy target type this deployer serves, e.g. `kubernetes`. */
  readonly targetType: string;
  /**
   * Starts the deployment, which is already recorded as pending. Progress and
   * the outcome go through the reporter, also for failures: the promise
   * rejects only when the deployer itself broke, and the deployment is then
   * marked failed with the error.
   */
  deploy(
    request: {
      deployment: Deployment;
      environment: Environment;
      /**
       * The environment's variables, secrets decrypted, for the deployer to
       * hand to the workload. Deployers must never log secret values.
       */
      variables: DeployVariable[];
    },
    reporter: DeploymentReporter,
  ): Promise<void>;
  /**
   * Takes a component out of an environment, e.g. when a preview environment
   * is torn down. Deployers without anything to remove (an external CD
   * system owns the workloads) leave it out.
   */
  remove?(request: {
    component: string;
    environment: Environment;
  }): Promise<void>;
}

/** Lets backend modules add deployers. @public */
export interface DeployerExtensionPoint {
  addDeployer(deployer: Deployer): void;
}

/** The extension point for deployers. @public */
export const deployerExtensionPoint =
  createExtensionPoint<DeployerExtensionPoint>({
    id: 'environments.deployers',
  });
