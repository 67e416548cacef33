import { Config } from '@backstage/config';

/**
 * How to reach a Kubernetes cluster that environments deploy to, as
 * `environments.kubernetes.clusters` configures it. An environment's
 * `target.cluster` names one.
 *
 * @public
 */
export type KubernetesClusterConnection = {
  /** The name environments' targets use. */
  name: string;
  /** Shown in the Kubernetes plugin; the name when absent. */
  title?: string;
  /** The API server's URL, e.g. `https://k8s.example.com:6443`. */
  url: string;
  /** Bearer token of the service account deployments are applied with. */
  serviceAccountToken: string;
  /** PEM of the CA that signed the API server's certificate, base64-encoded. */
  caData?: string;
  skipTLSVerify: boolean;
  /** Tells the Kubernetes plugin not to ask the cluster's metrics server for pod usage. */
  skipMetricsLookup: boolean;
};

/**
 * Reads `environments.kubernetes.clusters`; none when it is absent.
 *
 * @throws Error on a duplicate cluster name or a URL that is not http(s).
 * @public
 */
export function readKubernetesClusters(
  config: Config,
): KubernetesClusterConnection[] {
  const entries =
    config.getOptionalConfigArray('environments.kubernetes.clusters') ?? [];
  const seen = new Set<string>();
  return entries.map(entry => {
    const name = entry.getString('name');
    if (seen.has(name)) {
      throw new Error(
        `Duplicate cluster name '${name}' in environments.kubernetes.clusters`,
      );
    }
    seen.add(name);
    const url = entry.getString('url');
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'https:' && protocol !== 'http:') {
      throw new Error(
        `Cluster '${name}' in environments.kubernetes.clusters has url '${url}', which is not an http(s) URL`,
      );
    }
    return {
      name,
      title: entry.getOptionalString('title'),
      url,
      serviceAccountToken: entry.getString('serviceAccountToken'),
      caData: entry.getOptionalString('caData'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
      skipMetricsLookup: entry.getOptionalBoolean('skipMetricsLookup') ?? false,
    };
  });
}
