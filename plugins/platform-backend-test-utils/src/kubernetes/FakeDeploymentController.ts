import { createHash } from 'node:crypto';
import { timestamp } from './kinds';
import { ObjectRegistry, randomSuffix } from './ObjectRegistry';
import { resourceTypeOfKind } from './resources';
import { KubeObject, KubeWatchEvent } from './types';

/**
 * What the simulated deployment controller does with a new Deployment
 * generation once it has created its ReplicaSet and pods.
 *
 * - `available`: the pods become ready after `afterMs` (default 20 ms) and
 *   the rollout completes, old ReplicaSets scaled down;
 * - `progressDeadlineExceeded`: after `afterMs` the pods are stuck pulling
 *   their image and the Progressing condition turns False with reason
 *   `ProgressDeadlineExceeded`, as when `progressDeadlineSeconds` passes;
 * - `neverReady`: the pods stay pending and nothing else happens.
 *
 * @public
 */
export type FakeDeploymentBehaviour =
  | { type: 'available'; afterMs?: number }
  | { type: 'progressDeadlineExceeded'; afterMs?: number }
  | { type: 'neverReady' };

const DEPLOYMENT = resourceTypeOfKind('Deployment');
const REPLICA_SET = resourceTypeOfKind('ReplicaSet');
const POD = resourceTypeOfKind('Pod');
const MANAGER = { fieldManager: 'kube-controller-manager' };

function ownedBy(owner: KubeObject) {
  return (object: KubeObject) =>
    object.metadata.ownerReferences?.some(r => r.uid === owner.metadata.uid) ??
    false;
}

function ownerReference(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  previous: any[] | undefined,
) {
  const now = timestamp();
  const before = previous?.find(c => c.type === type);
  return {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime:
      before && before.status === status ? before.lastTransitionTime : now,
    reason,
    message,
  };
}

function isReady(pod: KubeObject) {
  return (
    pod.status?.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

/**
 * Plays the part of kube-controller-manager for Deployments: for each new
 * generation it creates or reuses the ReplicaSet of the pod template,
 * creates pods with the template's labels, and moves the Deployment's status
 * (observedGeneration, replicas, updatedReplicas, availableReplicas,
 * conditions) the way the behaviour a test chose says.
 *
 * @public
 */
export class FakeDeploymentController {
  private behaviourFor: (deployment: KubeObject) => FakeDeploymentBehaviour =
    () => ({ type: 'available' });
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private unsubscribe?: () => void;

  constructor(private readonly registry: ObjectRegistry) {}

  /** Sets what happens to rollouts from now on, for all Deployments or per Deployment. */
  setBehaviour(
    behaviour:
      | FakeDeploymentBehaviour
      | ((deployment: KubeObject) => FakeDeploymentBehaviour),
  ) {
    this.behaviourFor =
      typeof behaviour === 'function' ? behaviour : () => behaviour;
  }

  start() {
    this.unsubscribe = this.registry.subscribe(event => this.onEvent(event));
  }

  stop() {
    this.unsubscribe?.();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private onEvent(event: KubeWatchEvent) {
    if (event.group !== 'apps' || event.plural !== 'deployments') return;
    const { uid, namespace, name, generation } = event.object.metadata;
    if (event.type === 'DELETED') {
      clearTimeout(this.timers.get(uid!));
      this.timers.delete(uid!);
      return;
    }
    if (generation === event.object.status?.observedGeneration) return;
    // A real controller works from its own queue, after the write returned.
    setImmediate(() => this.run(() => this.reconcile(namespace!, name)));
  }

  private run(work: () => void) {
    try {
      work();
    } catch (error) {
      process.emitWarning(`Fake deployment controller failed: ${error}`);
    }
  }

  private reconcile(namespace: string, name: string) {
    const deployment = this.registry.find(DEPLOYMENT, namespace, name);
    if (
      !deployment ||
      deployment.metadata.generation === deployment.status?.observedGeneration
    ) {
      return;
    }
    const uid = deployment.metadata.uid!;
    clearTimeout(this.timers.get(uid));
    this.timers.delete(uid);

    const spec = deployment.spec;
    const hash = createHash('sha256')
      .update(JSON.stringify(spec.template))
      .digest('hex')
      .slice(0, 10);
    const replicaSetName = `${name}-${hash}`;
    const replicas: number = spec.replicas ?? 1;
    const labels = {
      ...spec.template.metadata?.labels,
      'pod-template-hash': hash,
    };
    const owned = this.registry
      .list(REPLICA_SET, namespace)
      .filter(ownedBy(deployment));
    let replicaSet = owned.find(rs => rs.metadata.name === replicaSetName);
    if (!replicaSet) {
      replicaSet = this.registry.create(
        REPLICA_SET,
        namespace,
        {
          metadata: {
            name: replicaSetName,
            labels,
            annotations: {
              'deployment.kubernetes.io/revision': String(owned.length + 1),
            },
            ownerReferences: [ownerReference(deployment)],
          },
          spec: {
            replicas,
            selector: {
              matchLabels: {
                ...spec.selector.matchLabels,
                'pod-template-hash': hash,
              },
            },
            template: {
              ...spec.template,
              metadata: { ...spec.template.metadata, labels },
            },
          },
        },
        MANAGER,
      );
    } else if (replicaSet.spec.replicas !== replicas) {
      replicaSet = this.registry.patch(
        REPLICA_SET,
        namespace,
        replicaSetName,
        { spec: { replicas } },
        'merge',
        MANAGER,
      );
    }

    const allPods = this.registry.list(POD, namespace);
    const pods = allPods.filter(ownedBy(replicaSet));
    for (const pod of pods.slice(replicas)) {
      this.registry.delete(POD, namespace, pod.metadata.name);
    }
    for (let i = pods.length; i < replicas; i++) {
      this.createPod(replicaSet, labels);
    }
    const old = owned.filter(rs => rs.metadata.name !== replicaSetName);
    const oldPods = allPods.filter(p => old.some(rs => ownedBy(rs)(p)));
    const oldReady = oldPods.filter(isReady).length;

    this.setReplicaSetStatus(replicaSet, 0);
    this.registry.updateStatus(DEPLOYMENT, namespace, name, status => ({
      observedGeneration: deployment.metadata.generation,
      replicas: replicas + oldPods.length,
      updatedReplicas: replicas,
      readyReplicas: oldReady,
      availableReplicas: oldReady,
      unavailableReplicas: Math.max(replicas - oldReady, 0),
      conditions: [
        oldReady > 0
          ? condition(
              'Available',
              'True',
              'MinimumReplicasAvailable',
              'Deployment has minimum availability.',
              status.conditions,
            )
          : condition(
              'Available',
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
              status.conditions,
            ),
        condition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `ReplicaSet "${replicaSetName}" is progressing.`,
          status.conditions,
        ),
      ],
    }));

    const behaviour: FakeDeploymentBehaviour =
      replicas === 0
        ? { type: 'available', afterMs: 0 }
        : this.behaviourFor(deployment);
    if (behaviour.type === 'neverReady') return;
    const generation = deployment.metadata.generation;
    const timer = setTimeout(() => {
      this.timers.delete(uid);
      this.run(() => {
        const current = this.registry.find(DEPLOYMENT, namespace, name);
        if (!current || current.metadata.generation !== generation) return;
        if (behaviour.type === 'available') {
          this.completeRollout(current, replicaSetName, old);
        } else {
          this.exceedProgressDeadline(current, replicaSetName);
        }
      });
    }, behaviour.afterMs ?? 20);
    this.timers.set(uid, timer);
  }

  private createPod(replicaSet: KubeObject, labels: Record<string, string>) {
    const namespace = replicaSet.metadata.namespace!;
    const template = replicaSet.spec.template;
    const pod = this.registry.create(
      POD,
      namespace,
      {
        metadata: {
          name: `${replicaSet.metadata.name}-${randomSuffix()}`,
          labels,
          annotations: template.metadata?.annotations,
          ownerReferences: [ownerReference(replicaSet)],
        },
        spec: { ...template.spec, nodeName: 'fake-node-1' },
      },
      MANAGER,
    );
    this.registry.updateStatus(POD, namespace, pod.metadata.name, () => ({
      phase: 'Pending',
      hostIP: '192.168.49.2',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'True',
          lastTransitionTime: timestamp(),
        },
      ],
      containerStatuses: (template.spec.containers ?? []).map((c: any) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    }));
  }

  private setReplicaSetStatus(replicaSet: KubeObject, ready: number) {
    this.registry.updateStatus(
      REPLICA_SET,
      replicaSet.metadata.namespace!,
      replicaSet.metadata.name,
      () => ({
        observedGeneration: replicaSet.metadata.generation,
        replicas: replicaSet.spec.replicas,
        fullyLabeledReplicas: replicaSet.spec.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
      }),
    );
  }

  private completeRollout(
    deployment: KubeObject,
    replicaSetName: string,
    old: KubeObject[],
  ) {
    const namespace = deployment.metadata.namespace!;
    const replicaSet = this.registry.get(
      REPLICA_SET,
      namespace,
      replicaSetName,
    );
    const pods = this.registry.list(POD, namespace).filter(ownedBy(replicaSet));
    pods.forEach((pod, index) => {
      const now = timestamp();
      this.registry.updateStatus(POD, namespace, pod.metadata.name, () => ({
        phase: 'Running',
        hostIP: '192.168.49.2',
        podIP: `10.244.0.${10 + index}`,
        startTime: now,
        conditions: [
          'Initialized',
          'Ready',
          'ContainersReady',
          'PodScheduled',
        ].map(type => ({ type, status: 'True', lastTransitionTime: now })),
        containerStatuses: (pod.spec.containers ?? []).map((c: any) => ({
          name: c.name,
          image: c.image,
          imageID: c.image,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        })),
      }));
    });
    this.setReplicaSetStatus(replicaSet, pods.length);
    for (const rs of old) {
      const current = this.registry.find(
        REPLICA_SET,
        namespace,
        rs.metadata.name,
      );
      if (!current) continue;
      this.registry.patch(
        REPLICA_SET,
        namespace,
        rs.metadata.name,
        { spec: { replicas: 0 } },
        'merge',
        MANAGER,
      );
      for (const pod of this.registry
        .list(POD, namespace)
        .filter(ownedBy(current))) {
        this.registry.delete(POD, namespace, pod.metadata.name);
      }
      this.registry.updateStatus(
        REPLICA_SET,
        namespace,
        rs.metadata.name,
        () => ({
          observedGeneration: current.metadata.generation,
          replicas: 0,
        }),
      );
    }
    const replicas = pods.length;
    this.registry.updateStatus(
      DEPLOYMENT,
      namespace,
      deployment.metadata.name,
      status => ({
        observedGeneration: deployment.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          condition(
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
            status.conditions,
          ),
          condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${replicaSetName}" has successfully progressed.`,
            status.conditions,
          ),
        ],
      }),
    );
  }

  private exceedProgressDeadline(
    deployment: KubeObject,
    replicaSetName: string,
  ) {
    const namespace = deployment.metadata.namespace!;
    const replicaSet = this.registry.get(
      REPLICA_SET,
      namespace,
      replicaSetName,
    );
    for (const pod of this.registry
      .list(POD, namespace)
      .filter(ownedBy(replicaSet))) {
      this.registry.updateStatus(POD, namespace, pod.metadata.name, status => ({
        ...status,
        containerStatuses: (status.containerStatuses ?? []).map((c: any) => ({
          ...c,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: `Back-off pulling image "${c.image}"`,
            },
          },
        })),
      }));
    }
    this.registry.updateStatus(
      DEPLOYMENT,
      namespace,
      deployment.metadata.name,
      status => ({
        ...status,
        conditions: [
          ...(status.conditions ?? []).filter(
            (c: any) => c.type !== 'Progressing',
          ),
          condition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `ReplicaSet "${replicaSetName}" has timed out progressing.`,
            status.conditions,
          ),
        ],
      }),
    );
  }
}
