import { InputError } from '@backstage/errors';
import { DeployTarget } from '@internal/plugin-environments-common';

/**
 * Refuses a Kubernetes deploy target whose cluster is not one of
 * `environments.kubernetes.clusters`: nothing could deploy there, and the
 * Kubernetes plugin would only log that it leaves the cluster out.
 *
 * @param clusters - the names `environments.kubernetes.clusters` configures.
 * @throws InputError naming `target.cluster` and the configured clusters
 */
export function assertConfiguredCluster(
  target: DeployTarget | undefined,
  clusters: readonly string[],
): void {
  if (target?.type !== 'kubernetes' || clusters.includes(target.cluster)) {
    return;
  }
  throw new InputError(
    `target.cluster '${
      target.cluster
    }' is not a cluster in environments.kubernetes.clusters (${
      clusters.length
        ? `configured: ${clusters.join(', ')}`
        : 'none is configured'
    })`,
  );
}
