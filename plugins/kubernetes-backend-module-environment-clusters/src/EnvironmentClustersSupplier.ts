import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { EnvironmentsApi } from '@internal/plugin-environments-common';
import { KubernetesClusterConnection } from '@internal/plugin-environments-node';

/** A cluster as the Kubernetes plugin reaches it: with the deployer's service account token. */
function clusterDetails(
  connection: KubernetesClusterConnection,
): ClusterDetails {
  return {
    name: connection.name,
    ...(connection.title && { title: connection.title }),
    url: connection.url,
    authMetadata: {
      [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
      serviceAccountToken: connection.serviceAccountToken,
    },
    skipTLSVerify: connection.skipTLSVerify,
    skipMetricsLookup: connection.skipMetricsLookup,
    ...(connection.caData && { caData: connection.caData }),
  };
}

/**
 * The clusters environments deploy to, for the Kubernetes plugin: each
 * distinct `target.cluster` of the environments with a Kubernetes target,
 * with its connection from `environments.kubernetes.clusters`. The list is
 * cached; {@link EnvironmentClustersSupplier.refresh} reads the environments
 * again (on a schedule and when an environment changes).
 *
 * @public
 */
export class EnvironmentClustersSupplier implements KubernetesClustersSupplier {
  private readonly connections: Map<string, KubernetesClusterConnection>;
  private clusters: ClusterDetails[] = [];
  private loaded = false;
  private refreshing?: Promise<void>;
  /** Cluster names already warned about, so each is logged once. */
  private readonly unknown = new Set<string>();

  constructor(
    private readonly options: {
      connections: KubernetesClusterConnection[];
      environments: EnvironmentsApi;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {
    this.connections = new Map(options.connections.map(c => [c.name, c]));
  }

  async getClusters(): Promise<ClusterDetails[]> {
    if (!this.loaded) {
      // The first request after start-up must not see an empty list just
      // because the schedule has not run yet; a failure is logged by refresh.
      await this.refresh().catch(() => {});
    }
    return this.clusters;
  }

  /** Reads the environments again; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load() {
    const { auth, environments, logger } = this.options;
    let names: Map<string, string[]>;
    try {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'environments',
      });
      names = new Map();
      for (const environment of await environments.listEnvironments({
        token,
      })) {
        if (environment.target.type !== 'kubernetes') continue;
        const users = names.get(environment.target.cluster) ?? [];
        names.set(environment.target.cluster, [...users, environment.name]);
      }
    } catch (error) {
      logger.error(
        'Could not read the environments for the Kubernetes clusters they deploy to; keeping the clusters read before',
        toError(error),
      );
      throw error;
    }
    const clusters: ClusterDetails[] = [];
    for (const [name, users] of [...names.entries()].sort()) {
      const connection = this.connections.get(name);
      if (connection) {
        clusters.push(clusterDetails(connection));
      } else if (!this.unknown.has(name)) {
        this.unknown.add(name);
        logger.warn(
          `Environments ${users.join(
            ', ',
          )} deploy to cluster '${name}', which environments.kubernetes.clusters does not configure; the Kubernetes plugin leaves it out`,
        );
      }
    }
    this.clusters = clusters;
    this.loaded = true;
  }
}
