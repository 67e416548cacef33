/** The states of a deployment. Terminal: succeeded, failed, rolled_back. @public */
export const DEPLOYMENT_STATUSES = [
  'pending',
  'in_progress',
  'succeeded',
  'failed',
  'rolled_back',
] as const;

/** @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses after which a deployment no longer changes. @public */
export const TERMINAL_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'succeeded',
  'failed',
  'rolled_back',
];

/** The built artifact a deployment carries: an OCI image and its digest. @public */
export type Artifact = {
  /** Image reference without digest, e.g. `registry.example.com/payments-api:1.4.0`. */
  image: string;
  /** `sha256:` and 64 hex digits. */
  digest: string;
};

/** Who or what asked for a deployment. @public */
export type DeploymentTrigger =
  | { type: 'user'; user: string }
  | { type: 'service'; service: string }
  | { type: 'pipeline'; pipelineRun: string; service: string };

/** A deployment of a component version into an environment. @public */
export type Deployment = {
  id: string;
  /** Entity ref of the component, e.g. `component:default/payments-api`. */
  component: string;
  environment: string;
  version: string;
  artifact: Artifact;
  status: DeploymentStatus;
  /** Why it failed, or what the deployer last reported. */
  message?: string;
  trigger: DeploymentTrigger;
  /** The driver that carries it out, e.g. `external` or `kubernetes`. */
  deployer: string;
  /** The deployment this one replaces in the environment, if any. */
  previousDeploymentId?: string;
  /**
   * Set on a rollback: the deployment it rolls back, which becomes
   * `rolled_back` once this one succeeds.
   */
  rollbackOf?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
};

/**
 * What runs where: for one component in one environment, the latest
 * deployment (which may still be in flight or have failed) and the latest
 * succeeded one, which is what runs there.
 *
 * @public
 */
export type DeploymentHead = {
  component: string;
  environment: string;
  latest: Deployment;
  /** Absent when nothing has succeeded there yet. */
  live?: Deployment;
};

/** What a client sends to deploy. @public */
export type DeploymentRequest = {
  component: string;
  environment: string;
  version: string;
  artifact: Artifact;
  /** Set by the pipeline engine when it hands a run's artifact over. */
  pipelineRun?: string;
};

/** A status report from a deployer or an external CD system. @public */
export type DeploymentStatusReport = {
  status: Exclude<DeploymentStatus, 'pending' | 'rolled_back'>;
  message?: string;
};

/** The states of a promotion. @public */
export type PromotionStatus = 'awaiting_approval' | 'deployed';

/**
 * A request to carry the version deployed in one environment into the next
 * one of the promotion path. Into a protected environment it waits for an
 * approval from one of the environment's approver groups.
 *
 * @public
 */
export type Promotion = {
  id: string;
  component: string;
  from: string;
  to: string;
  version: string;
  artifact: Artifact;
  sourceDeploymentId: string;
  status: PromotionStatus;
  requestedBy: string;
  createdAt: string;
  approvedBy?: string;
  approvedAt?: string;
  /** The deployment it started, once deployed. */
  deploymentId?: string;
};

/** What a client sends to promote. @public */
export type PromotionRequest = {
  component: string;
  /** The environment whose current version is promoted. */
  from: string;
  /** Optional check: the environment expected next; refused when it is not. */
  to?: string;
};

/** What a client sends to roll back. @public */
export type RollbackRequest = {
  component: string;
  environment: string;
  /**
   * The earlier succeeded deployment whose artifact to restore; by default
   * the one the current deployment replaced.
   */
  to?: string;
};
