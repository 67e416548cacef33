import { Environment } from '@internal/plugin-environments-common';
import { randomUUID } from 'node:crypto';

/** The events-service topic the Environment Manager publishes on. @public */
export const ENVIRONMENTS_TOPIC = 'environments';

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
