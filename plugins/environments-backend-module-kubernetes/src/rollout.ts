import type { KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { describeKubernetesError } from '@internal/platform-node';
import { ANNOTATIONS } from './manifests';

/** Where a Deployment's rollout stands. */
export type RolloutState =
  | { phase: 'progressing'; message: string }
  | { phase: 'complete'; message: string }
  | { phase: 'failed'; message: string };

/**
 * Reads a Deployment's rollout from its status the way `kubectl rollout
 * status` does: complete once the controller has observed the current
 * generation and every replica is updated and available with no old ones
 * left; failed when the Progressing condition says the progress deadline
 * passed.
 */
export function rolloutState(deployment: V1Deployment): RolloutState {
  const name = deployment.metadata?.name;
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) {
    return {
      phase: 'progressing',
      message: `Waiting for the controller to observe generation ${generation} of deployment "${name}"`,
    };
  }
  const progressing = status.conditions?.find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      phase: 'failed',
      message: `Deployment "${name}" stopped progressing (${
        progressing.reason
      }): ${progressing.message ?? 'no message'}`,
    };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) {
    return {
      phase: 'progressing',
      message: `${updated} of ${desired} new replicas of deployment "${name}" updated`,
    };
  }
  if (replicas > updated) {
    return {
      phase: 'progressing',
      message: `${
        replicas - updated
      } old replicas of deployment "${name}" pending termination`,
    };
  }
  if (available < updated) {
    return {
      phase: 'progressing',
      message: `${available} of ${updated} updated replicas of deployment "${name}" available`,
    };
  }
  return {
    phase: 'complete',
    message: `Deployment "${name}" rolled out: ${available} of ${desired} replicas available`,
  };
}

/** `750ms`, `90s`, `10m`: how long the deployer waited, for messages. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Math.round(ms / 1000)}s`;
  return `${ms / 60_000}m`;
}

/**
 * Follows a Deployment with a list-and-watch (the client's `ListWatch`,
 * which re-lists when its watch expires) until its rollout completes or
 * fails, the timeout passes, or `signal` aborts. Watching rather than
 * polling sees each status change as it happens, with one open request.
 */
export async function waitForRollout(options: {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  /** The deployment whose apply is followed; a later one supersedes it. */
  deploymentId: string;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<RolloutState> {
  const { kubeConfig, namespace, name, deploymentId, timeoutMs, signal } =
    options;
  const k8s = await import('@kubernetes/client-node');
  const apps = kubeConfig.makeApiClient(k8s.AppsV1Api);
  const fieldSelector = `metadata.name=${name}`;
  const informer = new k8s.ListWatch<V1Deployment>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`,
    new k8s.Watch(kubeConfig),
    () => apps.listNamespacedDeployment({ namespace, fieldSelector }),
    false,
    undefined,
    fieldSelector,
  );

  return new Promise<RolloutState>(resolve => {
    let last: RolloutState | undefined;
    let lastError: unknown;
    let retry: NodeJS.Timeout | undefined;
    let finished = false;
    const timer = setTimeout(onTimeout, timeoutMs);

    function finish(state: RolloutState) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(retry);
      signal.removeEventListener('abort', onAbort);
      informer.stop().then(
        () => resolve(state),
        () => resolve(state),
      );
    }
    function onAbort() {
      const reason =
        signal.reason instanceof Error ? signal.reason.message : 'aborted';
      finish({
        phase: 'failed',
        message: `Stopped waiting for deployment "${name}" to roll out: ${reason}${
          last ? `; last seen: ${last.message}` : ''
        }`,
      });
    }
    function onTimeout() {
      let seen = '';
      if (last) {
        seen = `; last seen: ${last.message}`;
      } else if (lastError) {
        seen = `; the deployment could not be watched: ${describeKubernetesError(
          lastError,
        )}`;
      }
      finish({
        phase: 'failed',
        message: `Deployment "${name}" did not finish rolling out within ${formatDuration(
          timeoutMs,
        )}${seen}`,
      });
    }
    function check(deployment: V1Deployment) {
      const appliedBy =
        deployment.metadata?.annotations?.[ANNOTATIONS.deploymentId];
      if (appliedBy && appliedBy !== deploymentId) {
        finish({
          phase: 'failed',
          message: `Deployment "${name}" was applied again by deployment ${appliedBy} before its rollout finished`,
        });
        return;
      }
      last = rolloutState(deployment);
      if (last.phase !== 'progressing') finish(last);
    }

    signal.addEventListener('abort', onAbort);
    informer.on('add', check);
    informer.on('update', check);
    informer.on('delete', () =>
      finish({
        phase: 'failed',
        message: `Deployment "${name}" was deleted during its rollout`,
      }),
    );
    // A failed list or a broken watch stops the informer; start it again
    // after a pause, until the rollout ends or the timeout passes.
    informer.on('error', error => {
      lastError = error;
      if (finished) return;
      retry = setTimeout(() => {
        if (!finished) informer.start().catch(e => (lastError = e));
      }, 1000);
    });
    if (signal.aborted) onAbort();
    else informer.start().catch(e => (lastError = e));
  });
}
