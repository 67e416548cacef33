import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * The Kubernetes plugin's own clusters (`kubernetes.clusterLocatorMethods`)
 * followed by the environments' clusters. The plugin takes one supplier
 * only, so this keeps the configured ones when the environments' are added.
 * A configured cluster wins over an environment cluster of the same name.
 */
export class CombinedClustersSupplier implements KubernetesClustersSupplier {
  private readonly shadowed = new Set<string>();

  constructor(
    private readonly configured: KubernetesClustersSupplier | undefined,
    private readonly environments: KubernetesClustersSupplier,
    private readonly logger: LoggerService,
  ) {}

  async getClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    const [configured, environments] = await Promise.all([
      this.configured?.getClusters(options) ?? [],
      this.environments.getClusters(options),
    ]);
    const names = new Set(configured.map(c => c.name));
    for (const cluster of environments) {
      if (names.has(cluster.name) && !this.shadowed.has(cluster.name)) {
        this.shadowed.add(cluster.name);
        this.logger.warn(
          `Cluster '${cluster.name}' is configured in kubernetes.clusterLocatorMethods and in environments.kubernetes.clusters; the Kubernetes plugin uses the former`,
        );
      }
    }
    return [...configured, ...environments.filter(c => !names.has(c.name))];
  }
}
