import { PreviewDetails } from './previews';

/** The tiers an environment can belong to, from least to most guarded. @public */
export const ENVIRONMENT_TIERS = [
  'development',
  'staging',
  'production',
  'preview',
] as const;

/** @public */
export type EnvironmentTier = (typeof ENVIRONMENT_TIERS)[number];

/**
 * Where deployments to an environment go.
 *
 * - `kubernetes`: a cluster (named in `environments.kubernetes.clusters`)
 *   and a namespace pattern in which `{component}` stands for the deployed
 *   component entity's name, `{namespace}` for its catalog namespace and
 *   `{environment}` for the environment's name, e.g.
 *   `{component}-{environment}`; the result must be a valid Kubernetes
 *   namespace name (a DNS-1123 label).
 * - `external`: an outside CD system (Argo CD, Flux, ...) deploys and reports
 *   back through the API.
 *
 * @public
 */
export type DeployTarget =
  | { type: 'kubernetes'; cluster: string; namespacePattern: string }
  | { type: 'external'; system?: string };

/** An environment as the API returns it. @public */
export type Environment = {
  /** Unique, URL-safe name, e.g. `staging`. */
  name: string;
  title?: string;
  description?: string;
  tier: EnvironmentTier;
  /**
   * Position in the promotion path: a version moves from a lower to the next
   * higher order. Environments may share an order (e.g. previews).
   */
  promotionOrder: number;
  /** Entity ref of the owning group, e.g. `group:default/platform-admins`. */
  owner: string;
  target: DeployTarget;
  /** Protected environments need approvals to be deployed to. */
  protected: boolean;
  /**
   * Group refs whose members approve promotions into this environment when
   * it is protected; the owner group when absent.
   */
  approvers?: string[];
  /** Set on preview environments (tier `preview`) made for a pull request. */
  preview?: PreviewDetails;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
};

/** The fields a client sets when it creates an environment. @public */
export type EnvironmentInput = Pick<
  Environment,
  | 'name'
  | 'title'
  | 'description'
  | 'tier'
  | 'promotionOrder'
  | 'owner'
  | 'target'
  | 'protected'
  | 'approvers'
>;

/** The fields a client may change on an existing environment. @public */
export type EnvironmentPatch = Partial<Omit<EnvironmentInput, 'name'>>;

/**
 * A lock or freeze on an environment: while active, nothing is deployed
 * there. It ends when released or when it expires.
 *
 * @public
 */
export type EnvironmentLock = {
  id: string;
  environment: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  /** When it ends by itself; absent for a lock until released. */
  expiresAt?: string;
};

/** What a client sends to lock an environment. @public */
export type EnvironmentLockRequest = {
  reason: string;
  expiresAt?: string;
};
