import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  isPipelineExecutorEnabled,
  PipelineExecutorLimits,
  readPipelineExecutorDuration,
  readPipelineExecutorLimits,
} from '@internal/plugin-pipelines-node';

/**
 * How the executor reaches its cluster: a URL with a service account token,
 * or the service account of the pod the backend runs in.
 *
 * @public
 */
export type KubernetesExecutorCluster =
  | { inCluster: true }
  | {
      inCluster?: false;
      /** The API server, e.g. `https://k8s.example.com:6443`. */
      url: string;
      /** Bearer token of the service account the executor works as. */
      token: string;
      /** The API server's CA certificate (PEM), base64-encoded. */
      caData?: string;
      skipTLSVerify?: boolean;
    };

/** CPU and memory quantities, e.g. `{ cpu: '500m', memory: '1Gi' }`. @public */
export type KubernetesResourceList = Record<string, string>;

/**
 * The Kubernetes executor's settings, from `pipelines.executors.kubernetes`.
 * Of the shared limits, `checkoutTimeoutMs` counts the clone Job's
 * scheduling and image pull, and `killGracePeriodMs` is the pods'
 * `terminationGracePeriodSeconds`.
 *
 * @public
 */
export type KubernetesExecutorSettings = PipelineExecutorLimits & {
  cluster: KubernetesExecutorCluster;
  /** The namespace the claims, Secrets and Jobs are created in. */
  namespace: string;
  /** The image of steps that do not name one. */
  defaultImage: string;
  /** The image the clone Job runs: git and a POSIX shell. */
  cloneImage: string;
  /** The storage class of the workspace claims; the cluster's default when absent. */
  storageClassName?: string;
  /** The size of each run's workspace claim, e.g. `5Gi`. */
  workspaceSize: string;
  /** The access mode of the workspace claims. */
  accessMode: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadWriteOncePod';
  /** Where the workspace claim is mounted in the pods. */
  workspacePath: string;
  /** Resource requests and limits of the step and clone containers. */
  resources: {
    requests?: KubernetesResourceList;
    limits?: KubernetesResourceList;
  };
  /** The service account the pods run as; the namespace's default when absent. */
  serviceAccountName?: string;
  /** How often a running pod's state is read. */
  pollIntervalMs: number;
  /** How long finished Jobs are kept (`ttlSecondsAfterFinished`). */
  jobTtlSeconds: number;
};

const KEY = 'pipelines.executors.kubernetes';
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ACCESS_MODES = ['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod'];

/** Whether the Kubernetes executor is switched on: only when set to true. */
export function isKubernetesExecutorEnabled(config: Config): boolean {
  return isPipelineExecutorEnabled(config, 'kubernetes');
}

function readMs(config: Config, key: string, fallback: number): number {
  return readPipelineExecutorDuration(config, 'kubernetes', key, fallback);
}

function readCluster(config: Config): KubernetesExecutorCluster {
  const cluster = config.getOptionalConfig(`${KEY}.cluster`);
  if (!cluster) {
    throw new InputError(
      `${KEY}.cluster is required: set inCluster: true, or url and token`,
    );
  }
  if (cluster.getOptionalBoolean('inCluster')) {
    if (cluster.has('url') || cluster.has('token')) {
      throw new InputError(
        `${KEY}.cluster: inCluster cannot be combined with url and token`,
      );
    }
    return { inCluster: true };
  }
  const url = cluster.getOptionalString('url');
  const token = cluster.getOptionalString('token');
  if (!url || !token) {
    throw new InputError(
      `${KEY}.cluster needs url and token (or inCluster: true)`,
    );
  }
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Reported below.
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new InputError(`${KEY}.cluster.url '${url}' is not an http(s) URL`);
  }
  return {
    url,
    token,
    caData: cluster.getOptionalString('caData'),
    skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

function readResources(config: Config, which: 'requests' | 'limits') {
  const key = `${KEY}.resources.${which}`;
  const list = config.getOptionalConfig(key);
  if (!list) return undefined;
  const resources: KubernetesResourceList = {};
  for (const name of list.keys()) {
    const value = String(list.get(name));
    if (!QUANTITY.test(value)) {
      throw new InputError(`${key}.${name}: '${value}' is not a quantity`);
    }
    resources[name] = value;
  }
  return resources;
}

/** Reads `pipelines.executors.kubernetes`, with defaults for what is not set. */
export function readKubernetesExecutorSettings(
  config: Config,
): KubernetesExecutorSettings {
  const namespace = config.getOptionalString(`${KEY}.namespace`) ?? 'default';
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    throw new InputError(
      `${KEY}.namespace: '${namespace}' is not a namespace name`,
    );
  }
  const workspaceSize =
    config.getOptionalString(`${KEY}.workspaceSize`) ?? '5Gi';
  if (!QUANTITY.test(workspaceSize)) {
    throw new InputError(
      `${KEY}.workspaceSize: '${workspaceSize}' is not a quantity such as 5Gi`,
    );
  }
  const accessMode =
    config.getOptionalString(`${KEY}.accessMode`) ?? 'ReadWriteOnce';
  if (!ACCESS_MODES.includes(accessMode)) {
    throw new InputError(
      `${KEY}.accessMode must be one of ${ACCESS_MODES.join(', ')}`,
    );
  }
  const workspacePath =
    config.getOptionalString(`${KEY}.workspacePath`) ?? '/workspace';
  if (!/^\/[^\s'"$`\\]+$/.test(workspacePath) || workspacePath === '/') {
    throw new InputError(
      `${KEY}.workspacePath must be an absolute path other than / without spaces, quotes, $, \` or \\`,
    );
  }
  const shared = readPipelineExecutorLimits(config, 'kubernetes');
  const requests = readResources(config, 'requests');
  const limits = readResources(config, 'limits');
  return {
    cluster: readCluster(config),
    namespace,
    defaultImage:
      config.getOptionalString(`${KEY}.defaultImage`) ?? 'alpine:3.22',
    cloneImage:
      config.getOptionalString(`${KEY}.cloneImage`) ?? 'alpine/git:latest',
    storageClassName: config.getOptionalString(`${KEY}.storageClassName`),
    workspaceSize,
    accessMode: accessMode as KubernetesExecutorSettings['accessMode'],
    workspacePath: workspacePath.replace(/\/+$/, ''),
    resources: {
      ...(requests ? { requests } : {}),
      ...(limits ? { limits } : {}),
    },
    serviceAccountName: config.getOptionalString(`${KEY}.serviceAccountName`),
    ...shared,
    pollIntervalMs: readMs(config, 'pollInterval', 2000),
    jobTtlSeconds: Math.ceil(readMs(config, 'jobTtl', 60 * 60 * 1000) / 1000),
  };
}
