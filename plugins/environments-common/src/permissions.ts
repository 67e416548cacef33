import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of an environment. @public */
export const RESOURCE_TYPE_ENVIRONMENT = 'environment';

/** Read an environment and what runs there. @public */
export const environmentReadPermission = createPermission({
  name: 'environments.environment.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/** Create an environment. @public */
export const environmentCreatePermission = createPermission({
  name: 'environments.environment.create',
  attributes: { action: 'create' },
});

/** Change an environment's settings. @public */
export const environmentUpdatePermission = createPermission({
  name: 'environments.environment.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/** Delete an environment. @public */
export const environmentDeletePermission = createPermission({
  name: 'environments.environment.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/** Lock an environment against deployments, or release a lock. @public */
export const environmentLockPermission = createPermission({
  name: 'environments.environment.lock',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/**
 * Set, change or delete the secret variables of an environment. Plain
 * variables are part of the environment's settings
 * (`environments.environment.update`); secrets take this permission, so a
 * policy can keep them to fewer people.
 * @public
 */
export const environmentSecretsManagePermission = createPermission({
  name: 'environments.environment.secrets.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/**
 * Deploy a component: a permission on the component (a catalog entity), so
 * ownership rules of the catalog apply.
 * @public
 */
export const deploymentCreatePermission = createPermission({
  name: 'environments.deployment.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Deploy straight into a protected environment, without promotion and
 * approval.
 * @public
 */
export const deploymentProtectedPermission = createPermission({
  name: 'environments.deployment.protected',
  attributes: { action: 'create' },
});

/**
 * Promote the version a component runs in one environment to the next: a
 * permission on the component, like deploying.
 * @public
 */
export const promotionCreatePermission = createPermission({
  name: 'environments.promotion.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Approve a promotion into a protected environment: a permission on the
 * target environment. Besides it, the approver must belong to one of the
 * environment's approver groups and must not have requested the promotion;
 * the backend checks both.
 * @public
 */
export const promotionApprovePermission = createPermission({
  name: 'environments.promotion.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_ENVIRONMENT,
});

/** Report the progress of a deployment (deployers, external CD systems). @public */
export const deploymentReportPermission = createPermission({
  name: 'environments.deployment.report',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission of the Environment Manager. @public */
export const environmentsPermissions = [
  environmentReadPermission,
  environmentCreatePermission,
  environmentUpdatePermission,
  environmentDeletePermission,
  environmentLockPermission,
  environmentSecretsManagePermission,
  deploymentCreatePermission,
  deploymentProtectedPermission,
  deploymentReportPermission,
  promotionCreatePermission,
  promotionApprovePermission,
];
