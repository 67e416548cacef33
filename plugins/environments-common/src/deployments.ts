import { allValuesOf } from '@internal/platform-common';
import * as Models from './schema/openapi/generated/models';

/** The states of a deployment (the spec's `Deployment.status`). @public */
export type DeploymentStatus = Models.Deployment['status'];

/**
 * Every state of a deployment. Terminal: succeeded, failed, rolled_back.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES = allValuesOf<DeploymentStatus>()([
  'pending',
  'in_progress',
  'succeeded',
  'failed',
  'rolled_back',
]);

/** Statuses after which a deployment no longer changes. @public */
export const TERMINAL_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'succeeded',
  'failed',
  'rolled_back',
];

/**
 * The built artifact a deployment carries: an OCI image reference without
 * digest (e.g. `registry.example.com/payments-api:1.4.0`) and its digest
 * (`sha256:` and 64 hex digits).
 *
 * @public
 */
export type Artifact = Models.Artifact;

/**
 * Who or what asked for a deployment, as the environments backend records
 * it. The spec's `Deployment.trigger` has `type` and, each optional, `user`,
 * `service` and `pipelineRun`; this says which of them each type carries,
 * and is declared as a narrowing of it so that it cannot drift from it.
 *
 * @public
 */
export type DeploymentTrigger = Models.Deployment['trigger'] &
  (
    | { type: 'user'; user: string }
    | { type: 'service'; service: string }
    | { type: 'pipeline'; pipelineRun: string; service: string }
  );

/**
 * A deployment of a component version (entity ref, e.g.
 * `component:default/payments-api`) into an environment (the spec's
 * `Deployment`). `message` says why it failed or what the deployer last
 * reported; `deployer` is the driver that carries it out (`external`,
 * `kubernetes`, `local`); `previousDeploymentId` the deployment it replaces
 * there; `rollbackOf`, on a rollback, the deployment it rolls back, which
 * becomes `rolled_back` once this one succeeds.
 *
 * @public
 */
export type Deployment = Models.Deployment;

/**
 * What runs where: for one component in one environment, the latest
 * deployment (which may still be in flight or have failed) and the latest
 * succeeded one (`live`, absent when nothing has succeeded there yet), which
 * is what runs there.
 *
 * @public
 */
export type DeploymentHead = Models.DeploymentHead;

/**
 * What a client sends to deploy; `pipelineRun` is set by the pipeline engine
 * when it hands a run's artifact over.
 *
 * @public
 */
export type DeploymentRequest = Models.DeploymentRequest;

/** A status report from a deployer or an external CD system. @public */
export type DeploymentStatusReport = Models.DeploymentStatusReport;

/** The states of a promotion. @public */
export type PromotionStatus = Models.Promotion['status'];

/**
 * A request to carry the version deployed in one environment into the next
 * one of the promotion path. Into a protected environment it waits for an
 * approval from one of the environment's approver groups; `deploymentId` is
 * the deployment it started, once deployed.
 *
 * @public
 */
export type Promotion = Models.Promotion;

/**
 * What a client sends to promote: the component, the environment whose
 * current version is promoted (`from`) and, as a check, the environment
 * expected next (`to`; refused when it is not).
 *
 * @public
 */
export type PromotionRequest = Models.PromotionRequest;

/**
 * What a client sends to roll back; `to` is the earlier succeeded deployment
 * whose artifact to restore, by default the one the current deployment
 * replaced.
 *
 * @public
 */
export type RollbackRequest = Models.RollbackRequest;
