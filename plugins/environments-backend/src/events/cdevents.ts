import {
  Deployment,
  ENVIRONMENTS_TOPIC,
  Environment,
} from '@internal/plugin-environments-common';
import { randomUUID } from 'node:crypto';

export { ENVIRONMENTS_TOPIC };

/** Where the events come from, as a CDEvents `source`. */
const SOURCE = '/backstage/environments';

/** @public */
export type EnvironmentEventType = 'created' | 'modified' | 'deleted';

/**
 * A CDEvents environment event (spec 0.4, `dev.cdevents.environment.*`):
 * the envelope CDEvents consumers expect, with the environment as subject.
 *
 * @public
 */
export interface EnvironmentCDEvent {
  context: {
    version: '0.4.1';
    id: string;
    source: string;
    type: `dev.cdevents.environment.${EnvironmentEventType}.0.2.0`;
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

/** Builds the CDEvent for a change to an environment. */
export function environmentEvent(
  type: EnvironmentEventType,
  environment: Environment,
  actor: string,
): EnvironmentCDEvent {
  return {
    context: {
      version: '0.4.1',
      id: randomUUID(),
      source: SOURCE,
      type: `dev.cdevents.environment.${type}.0.2.0`,
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

/** @public */
export type ServiceEventType = 'deployed' | 'upgraded' | 'rolledback';

/** A CDEvents service event (`dev.cdevents.service.*`) for a deployment. @public */
export interface ServiceCDEvent {
  context: {
    version: '0.4.1';
    id: string;
    source: string;
    type: `dev.cdevents.service.${ServiceEventType}.0.2.0`;
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
      version: '0.4.1',
      id: randomUUID(),
      source: SOURCE,
      type: `dev.cdevents.service.${type}.0.2.0`,
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

/**
 * A CDEvents `service.removed` event: a component taken out of an
 * environment, e.g. when a preview environment is torn down.
 *
 * @public
 */
export interface ServiceRemovedCDEvent {
  context: {
    version: '0.4.1';
    id: string;
    source: string;
    type: 'dev.cdevents.service.removed.0.2.0';
    timestamp: string;
  };
  subject: {
    id: string;
    source: string;
    content: { environment: { id: string; source: string } };
  };
  customData: { component: string; environment: string; actor: string };
}

/** Builds the CDEvent for a component removed from an environment. */
export function serviceRemovedEvent(
  component: string,
  environment: string,
  actor: string,
): ServiceRemovedCDEvent {
  return {
    context: {
      version: '0.4.1',
      id: randomUUID(),
      source: SOURCE,
      type: 'dev.cdevents.service.removed.0.2.0',
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
