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

/** Every permission of the Environment Manager. @public */
export const environmentsPermissions = [
  environmentReadPermission,
  environmentCreatePermission,
  environmentUpdatePermission,
  environmentDeletePermission,
];
