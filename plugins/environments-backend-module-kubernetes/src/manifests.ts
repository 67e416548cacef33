import { InputError } from '@backstage/errors';
import { Deployment } from '@internal/plugin-environments-common';
import { DeployVariable } from '@internal/plugin-environments-node';
import type {
  V1Deployment,
  V1EnvVar,
  V1Namespace,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';

/** The field manager the deployer applies with; it owns what it applies. */
export const FIELD_MANAGER = 'launchpad-environments';

/** Annotations the deployer puts on what it applies. */
export const ANNOTATIONS = {
  /** The id of the deployment that last applied the object. */
  deploymentId: 'launchpad.dev/deployment-id',
  environment: 'launchpad.dev/environment',
  /** The version exactly as deployed; the version label may be shortened. */
  version: 'launchpad.dev/version',
  /**
   * The resourceVersion of the variables Secret, on the pod template, so
   * that a changed secret rolls the pods without its values showing.
   */
  secretVersion: 'launchpad.dev/secret-version',
} as const;

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The names of what a component becomes in its namespace. */
export type WorkloadNames = {
  /** Of the Deployment, the Service and the container: the component's name. */
  name: string;
  namespace: string;
  /** Of the Secret holding the environment's secret variables. */
  secretName: string;
};

/**
 * Names the workload after the component entity, which the Kubernetes
 * plugin finds it by (`backstage.io/kubernetes-id`).
 *
 * @throws InputError when the entity name cannot name a Service
 */
export function workloadNames(
  componentName: string,
  namespace: string,
): WorkloadNames {
  if (componentName.length > 63 || !DNS1035_LABEL.test(componentName)) {
    throw new InputError(
      `Component name '${componentName}' cannot name a Kubernetes Deployment and Service: it must be at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`,
    );
  }
  return { name: componentName, namespace, secretName: `${componentName}-env` };
}

/**
 * A version as a label value: at most 63 of letters, digits, `-`, `_` and
 * `.`, starting and ending with a letter or digit (`1.4.0+build.7` becomes
 * `1.4.0_build.7`).
 */
export function versionLabel(version: string): string {
  return version
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** Selects the component's pods; unchanging, as a Deployment's selector must be. */
function selectorLabels(names: WorkloadNames) {
  return {
    'app.kubernetes.io/name': names.name,
    'app.kubernetes.io/instance': names.name,
  };
}

function labels(names: WorkloadNames, deployment: Deployment) {
  return {
    ...selectorLabels(names),
    'app.kubernetes.io/version': versionLabel(deployment.version),
    'app.kubernetes.io/managed-by': FIELD_MANAGER,
    'backstage.io/kubernetes-id': names.name,
  };
}

function annotations(deployment: Deployment) {
  return {
    [ANNOTATIONS.deploymentId]: deployment.id,
    [ANNOTATIONS.environment]: deployment.environment,
    [ANNOTATIONS.version]: deployment.version,
  };
}

export function namespaceManifest(namespace: string): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER },
    },
  };
}

/** The Secret with the environment's secret variables, one key per variable. */
export function secretManifest(
  names: WorkloadNames,
  deployment: Deployment,
  secrets: DeployVariable[],
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: names.secretName,
      namespace: names.namespace,
      labels: labels(names, deployment),
      annotations: annotations(deployment),
    },
    type: 'Opaque',
    data: Object.fromEntries(
      secrets.map(v => [v.name, Buffer.from(v.value).toString('base64')]),
    ),
  };
}

/**
 * The Deployment: one container running the artifact pinned by digest,
 * plain variables as values and secret ones as references into the Secret.
 */
export function deploymentManifest(options: {
  names: WorkloadNames;
  deployment: Deployment;
  variables: DeployVariable[];
  containerPort: number;
  /** The Secret's resourceVersion, when there are secret variables. */
  secretVersion?: string;
}): V1Deployment {
  const { names, deployment, variables, containerPort, secretVersion } =
    options;
  const env: V1EnvVar[] = [...variables]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(v =>
      v.secret
        ? {
            name: v.name,
            valueFrom: {
              secretKeyRef: { name: names.secretName, key: v.name },
            },
          }
        : { name: v.name, value: v.value },
    );
  const { image, digest } = deployment.artifact;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: names.name,
      namespace: names.namespace,
      labels: labels(names, deployment),
      annotations: annotations(deployment),
    },
    spec: {
      selector: { matchLabels: selectorLabels(names) },
      template: {
        metadata: {
          labels: labels(names, deployment),
          annotations: {
            [ANNOTATIONS.version]: deployment.version,
            ...(secretVersion && {
              [ANNOTATIONS.secretVersion]: secretVersion,
            }),
          },
        },
        spec: {
          containers: [
            {
              name: names.name,
              image: `${image}@${digest}`,
              ports: [{ name: 'http', containerPort, protocol: 'TCP' }],
              ...(env.length > 0 && { env }),
            },
          ],
        },
      },
    },
  };
}

/** The Service in front of the pods: port 80 to the container's `http` port. */
export function serviceManifest(
  names: WorkloadNames,
  deployment: Deployment,
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: names.name,
      namespace: names.namespace,
      labels: labels(names, deployment),
      annotations: annotations(deployment),
    },
    spec: {
      selector: selectorLabels(names),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}
