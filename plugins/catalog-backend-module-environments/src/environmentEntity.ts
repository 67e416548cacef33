import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  DeploymentHead,
  Environment,
} from '@internal/plugin-environments-common';

/** The location the provider's entities are attributed to. */
export const PROVIDER_LOCATION = 'environments:environments-backend';

/** Annotation carrying the environment's name in the Environment Manager. */
export const ANNOTATION_ENVIRONMENT = 'launchpad.dev/environment';

/**
 * An environment as a catalog Resource of type `environment`: owned by the
 * environment's owner group, a dependency of every component running there
 * (so each component's page lists the environments it runs in, and the
 * environment's page the components it runs).
 */
export function environmentEntity(
  environment: Environment,
  running: DeploymentHead[],
  appBaseUrl: string,
): Entity {
  const components = [
    ...new Set(running.filter(h => h.live).map(h => h.component)),
  ].sort();
  const target =
    environment.target.type === 'kubernetes'
      ? `Kubernetes cluster ${environment.target.cluster}, namespace ${environment.target.namespacePattern}`
      : `external${
          environment.target.system ? ` (${environment.target.system})` : ''
        }`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: environment.name,
      title: environment.title ?? environment.name,
      description:
        environment.description ??
        `The ${environment.tier} environment ${environment.name}; deploy target: ${target}.`,
      tags: [environment.tier, ...(environment.protected ? ['protected'] : [])],
      annotations: {
        [ANNOTATION_LOCATION]: PROVIDER_LOCATION,
        [ANNOTATION_ORIGIN_LOCATION]: PROVIDER_LOCATION,
        [ANNOTATION_ENVIRONMENT]: environment.name,
      },
      links: [
        {
          url: `${appBaseUrl}/environments`,
          title: 'Environments',
          icon: 'dashboard',
        },
      ],
    },
    spec: {
      type: 'environment',
      owner: environment.owner,
      dependencyOf: components,
    },
  };
}
