import { timestamp } from './kinds';
import { ObjectRegistry, randomSuffix } from './ObjectRegistry';
import { resourceTypeOfKind } from './resources';
import { KubeObject, KubeWatchEvent } from './types';

const JOB = resourceTypeOfKind('Job');
const POD = resourceTypeOfKind('Pod');
const MANAGER = { fieldManager: 'kube-controller-manager' };

function isFinished(job: KubeObject) {
  return (
    job.status?.conditions?.some(
      (c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status,
    ) ?? false
  );
}

function podPhase(pod: KubeObject | undefined): string | undefined {
  return pod?.status?.phase;
}

/**
 * Plays the part of kube-controller-manager for Jobs (one pod at a time,
 * `completions` 1): creates a pod from the template, counts it as succeeded
 * or failed when it ends, creates another after a failure until
 * `backoffLimit` is used up, fails the Job with `DeadlineExceeded` (deleting
 * its pods) when `activeDeadlineSeconds` pass, and deletes finished Jobs
 * after `ttlSecondsAfterFinished`, as the TTL controller does. Who runs the
 * pods is the kubelet's business ({@link FakeProcessKubelet}); without one
 * they stay pending, as on a cluster without nodes.
 *
 * @public
 */
export class FakeJobController {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private unsubscribe?: () => void;

  constructor(private readonly registry: ObjectRegistry) {}

  start() {
    this.unsubscribe = this.registry.subscribe(event => this.onEvent(event));
  }

  stop() {
    this.unsubscribe?.();
    for (const timers of this.timers.values()) timers.forEach(clearTimeout);
    this.timers.clear();
  }

  private onEvent(event: KubeWatchEvent) {
    if (event.group === 'batch' && event.plural === 'jobs') {
      const { uid, namespace, name } = event.object.metadata;
      if (event.type === 'DELETED') {
        this.timers.get(uid!)?.forEach(clearTimeout);
        this.timers.delete(uid!);
      } else if (event.type === 'ADDED') {
        setImmediate(() => this.run(() => this.startJob(namespace!, name)));
      }
      return;
    }
    if (event.group !== '' || event.plural !== 'pods') return;
    const owner = event.object.metadata.ownerReferences?.find(
      r => r.kind === 'Job' && r.controller,
    );
    if (!owner) return;
    const phase = podPhase(event.object);
    const ended = phase === 'Succeeded' || phase === 'Failed';
    if (
      event.type === 'MODIFIED' &&
      ended &&
      podPhase(event.previous) !== phase
    ) {
      const namespace = event.object.metadata.namespace!;
      setImmediate(() =>
        this.run(() =>
          this.podEnded(namespace, owner.name, owner.uid, phase === 'Failed'),
        ),
      );
    }
  }

  private run(work: () => void) {
    try {
      work();
    } catch (error) {
      process.emitWarning(`Fake job controller failed: ${error}`);
    }
  }

  private addTimer(uid: string, ms: number, work: () => void) {
    const timer = setTimeout(() => this.run(work), ms);
    this.timers.set(uid, [...(this.timers.get(uid) ?? []), timer]);
  }

  private startJob(namespace: string, name: string) {
    const job = this.registry.find(JOB, namespace, name);
    if (!job || job.status?.startTime) return;
    const uid = job.metadata.uid!;
    this.registry.updateStatus(JOB, namespace, name, status => ({
      ...status,
      startTime: timestamp(),
      active: 1,
      ready: 0,
    }));
    this.createPod(job);
    const deadline = job.spec?.activeDeadlineSeconds;
    if (typeof deadline === 'number' && deadline > 0) {
      this.addTimer(uid, deadline * 1000, () =>
        this.deadlineExceeded(namespace, name, uid),
      );
    }
  }

  private createPod(job: KubeObject) {
    const template = job.spec.template ?? {};
    this.registry.create(
      POD,
      job.metadata.namespace!,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${job.metadata.name}-${randomSuffix()}`,
          labels: { ...template.metadata?.labels },
          annotations: { ...template.metadata?.annotations },
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: job.metadata.name,
              uid: job.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(template.spec),
      },
      MANAGER,
    );
  }

  private jobPods(job: KubeObject) {
    return this.registry
      .list(POD, job.metadata.namespace)
      .filter(p =>
        p.metadata.ownerReferences?.some(r => r.uid === job.metadata.uid),
      );
  }

  private podEnded(
    namespace: string,
    name: string,
    uid: string,
    failed: boolean,
  ) {
    const job = this.registry.find(JOB, namespace, name);
    if (!job || job.metadata.uid !== uid || isFinished(job)) return;
    const pods = this.jobPods(job);
    const succeeded = pods.filter(p => podPhase(p) === 'Succeeded').length;
    const failures = pods.filter(p => podPhase(p) === 'Failed').length;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const now = timestamp();
    if (!failed) {
      this.finish(job, {
        succeeded,
        failed: failures,
        completionTime: now,
        conditions: [
          condition('SuccessCriteriaMet', 'CompletionsReached', now),
          condition('Complete', 'CompletionsReached', now),
        ],
      });
    } else if (failures > backoffLimit) {
      this.finish(job, {
        succeeded,
        failed: failures,
        conditions: [
          condition(
            'FailureTarget',
            'BackoffLimitExceeded',
            now,
            'Job has reached the specified backoff limit',
          ),
          condition(
            'Failed',
            'BackoffLimitExceeded',
            now,
            'Job has reached the specified backoff limit',
          ),
        ],
      });
    } else {
      this.registry.updateStatus(JOB, namespace, name, status => ({
        ...status,
        failed: failures,
      }));
      this.createPod(job);
    }
  }

  private deadlineExceeded(namespace: string, name: string, uid: string) {
    const job = this.registry.find(JOB, namespace, name);
    if (!job || job.metadata.uid !== uid || isFinished(job)) return;
    const pods = this.jobPods(job);
    const active = pods.filter(
      p => podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed',
    );
    for (const pod of active) {
      this.registry.delete(POD, namespace, pod.metadata.name);
    }
    const now = timestamp();
    const message = 'Job was active longer than specified deadline';
    this.finish(job, {
      failed: pods.filter(p => podPhase(p) === 'Failed').length + active.length,
      conditions: [
        condition('FailureTarget', 'DeadlineExceeded', now, message),
        condition('Failed', 'DeadlineExceeded', now, message),
      ],
    });
  }

  private finish(job: KubeObject, update: Record<string, unknown>) {
    const { namespace, name, uid } = job.metadata;
    this.registry.updateStatus(JOB, namespace!, name, status => ({
      ...status,
      ...update,
      active: 0,
      ready: 0,
    }));
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (typeof ttl === 'number' && ttl >= 0) {
      this.addTimer(uid!, ttl * 1000, () => {
        const live = this.registry.find(JOB, namespace!, name);
        if (live?.metadata.uid === uid) {
          this.registry.delete(JOB, namespace!, name);
        }
      });
    }
  }
}

function condition(type: string, reason: string, now: string, message = '') {
  return {
    type,
    status: 'True',
    reason,
    message,
    lastProbeTime: now,
    lastTransitionTime: now,
  };
}
