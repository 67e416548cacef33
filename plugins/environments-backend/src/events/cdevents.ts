import {
  Deployment,
  ENVIRONMENT_CDEVENT_TYPES,
  ENVIRONMENTS_CDEVENTS_VERSION,
  Environment,
  EnvironmentCDEvent,
  EnvironmentEventType,
  SERVICE_CDEVENT_TYPES,
  SERVICE_REMOVED_CDEVENT_TYPE,
  ServiceCDEvent,
  ServiceEventType,
  ServiceRemovedCDEvent,
} from '@internal/plugin-environments-common';
import { randomUUID } from 'node:crypto';

// The payload types, type names and topic are the plugin's contract with its
// subscribers and live in environments-common; only the builders (event ids
// from node's crypto, the source this backend names itself by) are here.

/** Where the events come from, as a CDEvents `source`. */
const SOURCE = '/backstage/environments';

/** Builds the CDEvent for a change to an environment. */
export function environmentEvent(
  type: EnvironmentEventType,
  environment: Environment,
  actor: string,
): EnvironmentCDEvent {
  return {
    context: {
      version: ENVIRONMENTS_CDEVENTS_VERSION,
      id: randomUUID(),
      source: SOURCE,
      type: ENVIRONMENT_CDEVENT_TYPES[type],
      timestamp: new Date().toISOString(),
    },
    subject: {
      id: environment.name,
      source: SOURCE,
      content: { name: environment.name },
    },
    customData: { environment, actor },
  };
}

/** The artifact as a package URL, as CDEvents identifies artifacts. */
function artifactPurl(deployment: Deployment): string {
  const { image, digest } = deployment.artifact;
  const withoutTag = image.replace(/:[^/:]+$/, '');
  const slash = withoutTag.lastIndexOf('/');
  const name = withoutTag.slice(slash + 1);
  const repository = withoutTag.slice(0, Math.max(slash, 0));
  return `pkg:oci/${name}@${encodeURIComponent(digest)}${
    repository ? `?repository_url=${encodeURIComponent(withoutTag)}` : ''
  }`;
}

/** Builds the CDEvent for a finished deployment. */
export function serviceEvent(
  type: ServiceEventType,
  deployment: Deployment,
): ServiceCDEvent {
  return {
    context: {
      version: ENVIRONMENTS_CDEVENTS_VERSION,
      id: randomUUID(),
      source: SOURCE,
      type: SERVICE_CDEVENT_TYPES[type],
      timestamp: new Date().toISOString(),
    },
    subject: {
      id: deployment.component,
      source: SOURCE,
      content: {
        environment: { id: deployment.environment, source: SOURCE },
        artifactId: artifactPurl(deployment),
      },
    },
    customData: { deployment },
  };
}

/** Builds the CDEvent for a component removed from an environment. */
export function serviceRemovedEvent(
  component: string,
  environment: string,
  actor: string,
): ServiceRemovedCDEvent {
  return {
    context: {
      version: ENVIRONMENTS_CDEVENTS_VERSION,
      id: randomUUID(),
      source: SOURCE,
      type: SERVICE_REMOVED_CDEVENT_TYPE,
      timestamp: new Date().toISOString(),
    },
    subject: {
      id: component,
      source: SOURCE,
      content: { environment: { id: environment, source: SOURCE } },
    },
    customData: { component, environment, actor },
  };
}
