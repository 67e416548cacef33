import { Deployment } from './deployments';
import { Environment } from './types';

/**
 * The EventsService topic on which the environments backend publishes its
 * CDEvents (environment.created/modified/deleted, service.deployed/upgraded/
 * rolledback/removed), for other plugins to subscribe to.
 *
 * @public
 */
export const ENVIRONMENTS_TOPIC = 'environments';

/**
 * The CDEvents spec version of the envelopes published on
 * {@link ENVIRONMENTS_TOPIC}.
 *
 * @public
 */
export const ENVIRONMENTS_CDEVENTS_VERSION = '0.4.1';

/** @public */
export type EnvironmentEventType = 'created' | 'modified' | 'deleted';

/**
 * The CDEvents type of an environment event, e.g.
 * `dev.cdevents.environment.created.0.2.0`.
 *
 * @public
 */
export type EnvironmentCDEventTypeName =
  `dev.cdevents.environment.${EnvironmentEventType}.0.2.0`;

/**
 * The CDEvents type names of environment events, by event type.
 *
 * @public
 */
export const ENVIRONMENT_CDEVENT_TYPES: Readonly<
  Record<EnvironmentEventType, EnvironmentCDEventTypeName>
> = {
  created: 'dev.cdevents.environment.created.0.2.0',
  modified: 'dev.cdevents.environment.modified.0.2.0',
  deleted: 'dev.cdevents.environment.deleted.0.2.0',
};

/**
 * A CDEvents environment event (spec 0.4, `dev.cdevents.environment.*`):
 * the envelope CDEvents consumers expect, with the environment as subject.
 *
 * @public
 */
export interface EnvironmentCDEvent {
  context: {
    version: typeof ENVIRONMENTS_CDEVENTS_VERSION;
    id: string;
    source: string;
    type: EnvironmentCDEventTypeName;
    timestamp: string;
  };
  subject: {
    id: string;
    source: string;
    content: {
      name: string;
      url?: string;
    };
  };
  customData: {
    environment: Environment;
    actor: string;
  };
}

/** @public */
export type ServiceEventType = 'deployed' | 'upgraded' | 'rolledback';

/**
 * The CDEvents type of a finished deployment's service event, e.g.
 * `dev.cdevents.service.deployed.0.2.0`.
 *
 * @public
 */
export type ServiceCDEventTypeName =
  `dev.cdevents.service.${ServiceEventType}.0.2.0`;

/**
 * The CDEvents type names of service events, by event type.
 *
 * @public
 */
export const SERVICE_CDEVENT_TYPES: Readonly<
  Record<ServiceEventType, ServiceCDEventTypeName>
> = {
  deployed: 'dev.cdevents.service.deployed.0.2.0',
  upgraded: 'dev.cdevents.service.upgraded.0.2.0',
  rolledback: 'dev.cdevents.service.rolledback.0.2.0',
};

/**
 * A CDEvents service event (`dev.cdevents.service.*`) for a finished
 * deployment: the component as subject, the artifact as a package URL.
 *
 * @public
 */
export interface ServiceCDEvent {
  context: {
    version: typeof ENVIRONMENTS_CDEVENTS_VERSION;
    id: string;
    source: string;
    type: ServiceCDEventTypeName;
    timestamp: string;
  };
  subject: {
    id: string;
    source: string;
    content: {
      environment: { id: string; source: string };
      artifactId: string;
    };
  };
  customData: { deployment: Deployment };
}

/**
 * The CDEvents type of a component taken out of an environment.
 *
 * @public
 */
export const SERVICE_REMOVED_CDEVENT_TYPE =
  'dev.cdevents.service.removed.0.2.0';

/**
 * A CDEvents `service.removed` event: a component taken out of an
 * environment, e.g. when a preview environment is torn down.
 *
 * @public
 */
export interface ServiceRemovedCDEvent {
  context: {
    version: typeof ENVIRONMENTS_CDEVENTS_VERSION;
    id: string;
    source: string;
    type: typeof SERVICE_REMOVED_CDEVENT_TYPE;
    timestamp: string;
  };
  subject: {
    id: string;
    source: string;
    content: { environment: { id: string; source: string } };
  };
  customData: { component: string; environment: string; actor: string };
}

/**
 * Every payload published on {@link ENVIRONMENTS_TOPIC}.
 *
 * @public
 */
export type EnvironmentsCDEvent =
  | EnvironmentCDEvent
  | ServiceCDEvent
  | ServiceRemovedCDEvent;

function cdeventTypeOf(payload: unknown): unknown {
  return (payload as { context?: { type?: unknown } } | null | undefined)
    ?.context?.type;
}

const environmentTypeNames = new Set<unknown>(
  Object.values(ENVIRONMENT_CDEVENT_TYPES),
);

/**
 * True for an environment event (an environment created, modified or
 * deleted), as opposed to the service events on the same topic. Event
 * payloads arrive untyped; this narrows one.
 *
 * @public
 */
export function isEnvironmentCDEvent(
  payload: unknown,
): payload is EnvironmentCDEvent {
  return environmentTypeNames.has(cdeventTypeOf(payload));
}
