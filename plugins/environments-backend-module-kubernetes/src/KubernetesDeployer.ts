import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { Deployment, Environment } from '@internal/plugin-environments-common';
import {
  Deployer,
  DeploymentReporter,
  DeployVariable,
  KubernetesClusterConnection,
  readKubernetesClusters,
} from '@internal/plugin-environments-node';
import type {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  describeKubernetesError,
  kubernetesStatusCodeOf,
} from '@internal/platform-node';
import {
  deploymentManifest,
  FIELD_MANAGER,
  namespaceManifest,
  secretManifest,
  serviceManifest,
  workloadNames,
  WorkloadNames,
} from './manifests';
import { resolveNamespace } from './namespaces';
import { waitForRollout } from './rollout';

const DEFAULT_ROLLOUT_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_CONTAINER_PORT = 8080;

type ClusterClient = { kubeConfig: KubeConfig; objects: KubernetesObjectApi };

/** A deployer failure whose message is fit for the deployment record. */
class DeployFailure extends Error {}

/**
 * Deploys to environments whose target is a Kubernetes cluster: applies
 * (server-side, as field manager `launchpad-environments`, forcing
 * ownership) the namespace if missing, a Secret with the environment's
 * secret variables, a Deployment running the artifact pinned by digest and a
 * Service, then follows the rollout and reports how it ended.
 *
 * @public
 */
export class KubernetesDeployer implements Deployer {
  readonly targetType = 'kubernetes';
  private readonly clusters: Map<string, KubernetesClusterConnection>;
  private readonly clients = new Map<string, Promise<ClusterClient>>();
  /** Stops the rollouts being waited for when the backend shuts down. */
  private readonly shutdown = new AbortController();

  static fromConfig(config: Config, options: { logger: LoggerService }) {
    const key = 'environments.kubernetes.rolloutTimeout';
    return new KubernetesDeployer({
      clusters: readKubernetesClusters(config),
      rolloutTimeoutMs: config.has(key)
        ? durationToMilliseconds(readDurationFromConfig(config, { key }))
        : DEFAULT_ROLLOUT_TIMEOUT_MS,
      containerPort:
        config.getOptionalNumber('environments.kubernetes.containerPort') ??
        DEFAULT_CONTAINER_PORT,
      logger: options.logger,
    });
  }

  constructor(
    private readonly options: {
      clusters: KubernetesClusterConnection[];
      rolloutTimeoutMs: number;
      containerPort: number;
      logger: LoggerService;
    },
  ) {
    this.clusters = new Map(options.clusters.map(c => [c.name, c]));
  }

  async deploy(
    request: {
      deployment: Deployment;
      environment: Environment;
      variables: DeployVariable[];
    },
    reporter: DeploymentReporter,
  ): Promise<void> {
    const { deployment, environment, variables } = request;
    const secretValues = variables.filter(v => v.secret).map(v => v.value);
    // Nothing a deployment record shows may carry a secret, whatever the
    // API server chose to echo back.
    const redact = (message: string) =>
      secretValues
        .filter(value => value.length > 0)
        .reduce((text, value) => text.split(value).join('***'), message);
    const report = (
      status: 'in_progress' | 'succeeded' | 'failed',
      message: string,
    ) => reporter.report({ status, message: redact(message) });

    let names: WorkloadNames;
    let cluster: KubernetesClusterConnection;
    try {
      ({ names, cluster } = this.locate(deployment.component, environment));
    } catch (error) {
      await report(
        'failed',
        error instanceof Error ? error.message : String(error),
      );
      return;
    }
    const where = `namespace '${names.namespace}' of cluster '${cluster.name}'`;
    await report(
      'in_progress',
      `Applying ${names.name} ${deployment.version} to ${where}`,
    );
    this.options.logger.info(
      `Deploying ${deployment.component} ${deployment.version} (deployment ${deployment.id}) to ${where}`,
    );

    try {
      const client = await this.client(cluster);
      await this.ensureNamespace(client, names.namespace);
      const secrets = variables.filter(v => v.secret);
      let secretVersion: string | undefined;
      if (secrets.length) {
        const secret = await this.apply(
          client,
          secretManifest(names, deployment, secrets),
        );
        secretVersion = secret.metadata?.resourceVersion;
      } else {
        // Secret variables may have been removed since the last deployment.
        await this.deleteIfPresent(client, {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: names.secretName, namespace: names.namespace },
        }).catch(error => {
          throw new DeployFailure(
            `removing the unused Secret ${
              names.secretName
            } failed: ${describeKubernetesError(error)}`,
          );
        });
      }
      await this.apply(
        client,
        deploymentManifest({
          names,
          deployment,
          variables,
          containerPort: this.options.containerPort,
          secretVersion,
        }),
      );
      await this.apply(client, serviceManifest(names, deployment));
      await report(
        'in_progress',
        `Applied to ${where}; waiting for deployment "${names.name}" to roll out`,
      );

      const outcome = await waitForRollout({
        kubeConfig: client.kubeConfig,
        namespace: names.namespace,
        name: names.name,
        deploymentId: deployment.id,
        timeoutMs: this.options.rolloutTimeoutMs,
        signal: this.shutdown.signal,
      });
      if (outcome.phase === 'complete') {
        await report('succeeded', `${outcome.message} in ${where}`);
      } else {
        await report('failed', `${outcome.message} in ${where}`);
      }
    } catch (error) {
      const cause =
        error instanceof DeployFailure
          ? error.message
          : describeKubernetesError(error);
      this.options.logger.warn(
        `Deployment ${deployment.id} to ${where} failed: ${redact(cause)}`,
      );
      await report('failed', `Could not deploy to ${where}: ${cause}`);
    }
  }

  async remove(request: { component: string; environment: Environment }) {
    const { names, cluster } = this.locate(
      request.component,
      request.environment,
    );
    const client = await this.client(cluster);
    const where = `namespace '${names.namespace}' of cluster '${cluster.name}'`;
    const objects: KubernetesObject[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: names.name },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: names.name } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: names.secretName },
      },
    ];
    for (const object of objects) {
      object.metadata!.namespace = names.namespace;
      try {
        await this.deleteIfPresent(client, object);
      } catch (error) {
        throw new Error(
          `Could not remove ${object.kind} ${
            names.name
          } from ${where}: ${describeKubernetesError(error)}`,
        );
      }
    }
    this.options.logger.info(`Removed ${request.component} from ${where}`);
  }

  /** Stops waiting for rollouts, which are then reported failed; for shutdown. */
  stop() {
    this.shutdown.abort(new Error('the backend is shutting down'));
  }

  /** The cluster, namespace and names for a component in an environment. */
  private locate(componentRef: string, environment: Environment) {
    const target = environment.target;
    if (target.type !== 'kubernetes') {
      throw new InputError(
        `Environment '${environment.name}' deploys to '${target.type}' targets, not Kubernetes`,
      );
    }
    const cluster = this.clusters.get(target.cluster);
    if (!cluster) {
      const known = [...this.clusters.keys()];
      throw new InputError(
        `Environment '${environment.name}' deploys to cluster '${
          target.cluster
        }', which is not configured in environments.kubernetes.clusters (${
          known.length
            ? `configured: ${known.join(', ')}`
            : 'none are configured'
        })`,
      );
    }
    const entity = parseEntityRef(componentRef);
    const namespace = resolveNamespace(target.namespacePattern, {
      environment: environment.name,
      component: entity.name,
      namespace: entity.namespace,
    });
    return { cluster, names: workloadNames(entity.name, namespace) };
  }

  private client(cluster: KubernetesClusterConnection): Promise<ClusterClient> {
    let client = this.clients.get(cluster.name);
    if (!client) {
      client = (async () => {
        // The client is an ES module: loaded on first use.
        const k8s = await import('@kubernetes/client-node');
        const kubeConfig = new k8s.KubeConfig();
        kubeConfig.loadFromOptions({
          clusters: [
            {
              name: cluster.name,
              server: cluster.url,
              caData: cluster.caData,
              skipTLSVerify: cluster.skipTLSVerify,
            },
          ],
          users: [{ name: FIELD_MANAGER, token: cluster.serviceAccountToken }],
          contexts: [
            { name: cluster.name, cluster: cluster.name, user: FIELD_MANAGER },
          ],
          currentContext: cluster.name,
        });
        return {
          kubeConfig,
          objects: k8s.KubernetesObjectApi.makeApiClient(kubeConfig),
        };
      })();
      this.clients.set(cluster.name, client);
    }
    return client;
  }

  private async apply<T extends KubernetesObject>(
    client: ClusterClient,
    object: T,
  ) {
    const { PatchStrategy } = await import('@kubernetes/client-node');
    try {
      return await client.objects.patch(
        object,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw new DeployFailure(
        `applying ${object.kind} ${
          object.metadata?.name
        } failed: ${describeKubernetesError(error)}`,
      );
    }
  }

  /** Creates the namespace unless it exists; a token that may not read namespaces goes on without. */
  private async ensureNamespace(client: ClusterClient, namespace: string) {
    try {
      await client.objects.read({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    } catch (error) {
      const code = kubernetesStatusCodeOf(error);
      if (code === 404) {
        await this.apply(client, namespaceManifest(namespace));
      } else if (code !== 403) {
        throw new DeployFailure(
          `reading namespace ${namespace} failed: ${describeKubernetesError(
            error,
          )}`,
        );
      }
    }
  }

  private async deleteIfPresent(
    client: ClusterClient,
    object: KubernetesObject,
  ) {
    try {
      await client.objects.delete(object);
    } catch (error) {
      if (kubernetesStatusCodeOf(error) !== 404) throw error;
    }
  }
}
