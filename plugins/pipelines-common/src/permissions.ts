import { createPermission } from '@backstage/plugin-permission-common';

// Runs belong to a component, so the permissions on them are permissions on
// the component (a catalog entity): the catalog's ownership rules decide them.

/**
 * See the runs of a component, their stages, steps, artifacts and status.
 * @public
 */
export const pipelinesRunReadPermission = createPermission({
  name: 'pipelines.run.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Start a run of a component's pipeline by hand (or from a template or an
 * agent's action).
 * @public
 */
export const pipelinesRunTriggerPermission = createPermission({
  name: 'pipelines.run.trigger',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Cancel a queued or running run of a component. @public */
export const pipelinesRunCancelPermission = createPermission({
  name: 'pipelines.run.cancel',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Run a finished run again, whole or only its failed steps. @public */
export const pipelinesRunRerunPermission = createPermission({
  name: 'pipelines.run.rerun',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Read the logs of a component's runs. Separate from reading runs because
 * logs may carry what a build printed by mistake; the platform policy keeps
 * them to the component's owners.
 * @public
 */
export const pipelinesLogsReadPermission = createPermission({
  name: 'pipelines.logs.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * See the webhook deliveries that came in. Not a permission on a component:
 * a delivery for an unknown repository belongs to none.
 * @public
 */
export const pipelinesDeliveryReadPermission = createPermission({
  name: 'pipelines.delivery.read',
  attributes: { action: 'read' },
});

/** Every permission of the Pipeline Engine. @public */
export const pipelinesPermissions = [
  pipelinesRunReadPermission,
  pipelinesRunTriggerPermission,
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
  pipelinesLogsReadPermission,
  pipelinesDeliveryReadPermission,
];
