import { allValuesOf } from '@internal/platform-common';
import * as Models from './schema/openapi/generated/models';

/**
 * The tiers an environment can belong to (every value of the spec's `Tier`),
 * from least to most guarded.
 *
 * @public
 */
export const ENVIRONMENT_TIERS = allValuesOf<Models.Tier>()([
  'development',
  'staging',
  'production',
  'preview',
]);

/** The spec's `Tier`. @public */
export type EnvironmentTier = Models.Tier;

/**
 * Where deployments to an environment go (the spec's `DeployTarget`).
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
export type DeployTarget = Models.DeployTarget;

/**
 * An environment as the API returns it (the spec's `Environment`): a unique,
 * URL-safe name; a tier; its position in the promotion path
 * (`promotionOrder`: a version moves from a lower to the next higher order,
 * and environments may share one, e.g. previews); the owning group's entity
 * ref; the deploy target; whether it is protected (deployed to only through
 * approved promotions, approved by members of `approvers`, else of the
 * owner); and, on a preview environment, what it is a preview of.
 *
 * @public
 */
export type Environment = Models.Environment;

/** The fields a client sets when it creates an environment. @public */
export type EnvironmentInput = Models.EnvironmentInput;

/** The fields a client may change on an existing environment. @public */
export type EnvironmentPatch = Models.EnvironmentPatch;

/**
 * A lock or freeze on an environment: while active, nothing is deployed
 * there. It ends when released or when it expires (`expiresAt`, absent for
 * a lock until released).
 *
 * @public
 */
export type EnvironmentLock = Models.EnvironmentLock;

/** What a client sends to lock an environment. @public */
export type EnvironmentLockRequest = Models.EnvironmentLockRequest;
