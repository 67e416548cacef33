import type * as K8s from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FakeKubernetesApiServer } from './FakeKubernetesApiServer';
import { FakeProcessKubelet } from './FakeProcessKubelet';

jest.setTimeout(30_000);

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

function job(
  name: string,
  command: string,
  spec: Record<string, unknown> = {},
  container: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: { app: 'test' } },
    spec: {
      backoffLimit: 0,
      ...spec,
      template: {
        metadata: { labels: { app: 'test' } },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'main',
              image: 'alpine:3.22',
              command: ['/bin/sh', '-c', command],
              ...container,
            },
          ],
        },
      },
    },
  };
}

describe('FakeKubernetesApiServer running Jobs with a FakeProcessKubelet', () => {
  let fake: FakeKubernetesApiServer;
  let kubelet: FakeProcessKubelet;
  let k8s: typeof K8s;
  let kc: K8s.KubeConfig;
  let batch: K8s.BatchV1Api;
  let core: K8s.CoreV1Api;

  beforeAll(async () => {
    k8s = await import('@kubernetes/client-node');
  });

  beforeEach(async () => {
    fake = await FakeKubernetesApiServer.start();
    kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: fake.url, caData: fake.caData }],
      users: [{ name: 'tester', token: fake.token }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
      currentContext: 'fake',
    });
    batch = kc.makeApiClient(k8s.BatchV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  afterEach(() => fake.stop());

  const podOf = (jobName: string) =>
    fake
      .list('Pod', 'default')
      .filter(p => p.metadata.labels?.['job-name'] === jobName);

  it('creates a Job’s pod and leaves it pending without a kubelet', async () => {
    await batch.createNamespacedJob({
      namespace: 'default',
      body: job('idle', 'true') as K8s.V1Job,
    });
    const [pod] = await until(
      () => (podOf('idle').length ? podOf('idle') : undefined),
      'the pod',
    );
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Job', name: 'idle', controller: true }),
    ]);
    expect(pod.status.phase).toBe('Pending');
    expect(fake.get('Job', 'default', 'idle')?.status).toMatchObject({
      active: 1,
      startTime: expect.any(String),
    });
    // Deleting the Job takes its pod with it.
    await batch.deleteNamespacedJob({
      namespace: 'default',
      name: 'idle',
      propagationPolicy: 'Background',
    });
    expect(podOf('idle')).toEqual([]);
  });

  describe('with a kubelet', () => {
    beforeEach(() => {
      kubelet = new FakeProcessKubelet();
      fake.setKubelet(kubelet);
    });

    it('runs the command with the container’s env, a volume, and a termination message; completes the Job', async () => {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: {
          metadata: { name: 'creds' },
          stringData: { token: 's3cret' },
        },
      });
      await core.createNamespacedPersistentVolumeClaim({
        namespace: 'default',
        body: {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      });
      expect(
        fake.get('PersistentVolumeClaim', 'default', 'data')?.status.phase,
      ).toBe('Pending');
      process.env.TEST_ONLY_HOST_VARIABLE = 'host';
      const body = job(
        'hello',
        'echo "hello $GREETING $TOKEN ${TEST_ONLY_HOST_VARIABLE:-none}"; echo oops >&2; echo kept > "$DATA/file"; printf result=ok > "$MESSAGE"',
        { ttlSecondsAfterFinished: 3600 },
        {
          env: [
            { name: 'GREETING', value: 'world' },
            {
              name: 'TOKEN',
              valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } },
            },
            { name: 'DATA', value: '/data' },
            { name: 'MESSAGE', value: '/data/message' },
          ],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          terminationMessagePath: '/data/message',
        },
      );
      body.spec.template.spec = {
        ...body.spec.template.spec,
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ],
      } as any;
      await batch.createNamespacedJob({
        namespace: 'default',
        body: body as K8s.V1Job,
      });
      const finished = await until(() => {
        const j = fake.get('Job', 'default', 'hello');
        return j?.status?.completionTime ? j : undefined;
      }, 'the Job to complete').finally(() => {
        delete process.env.TEST_ONLY_HOST_VARIABLE;
      });
      expect(finished.status).toMatchObject({
        succeeded: 1,
        active: 0,
        conditions: expect.arrayContaining([
          expect.objectContaining({ type: 'Complete', status: 'True' }),
        ]),
      });
      const [pod] = podOf('hello');
      expect(pod.status.phase).toBe('Succeeded');
      expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({
        exitCode: 0,
        reason: 'Completed',
        message: 'result=ok',
      });
      const log = await core.readNamespacedPodLog({
        namespace: 'default',
        name: pod.metadata.name,
        container: 'main',
      });
      expect(log).toBe('hello world s3cret none\noops\n');
      expect(
        await readFile(
          join(await kubelet.claimDirectory('default', 'data'), 'file'),
          'utf8',
        ),
      ).toBe('kept\n');
      expect(
        fake.get('PersistentVolumeClaim', 'default', 'data')?.status.phase,
      ).toBe('Bound');
    });

    it('streams a running container’s log with follow=true until it exits', async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job(
          'follow',
          'echo one; sleep 0.3; echo two; sleep 0.3; echo three; exit 3',
        ) as K8s.V1Job,
      });
      const pod = await until(
        () =>
          podOf('follow').find(p => p.status?.phase === 'Running') ?? undefined,
        'the pod to run',
      );
      const received: Array<{ text: string; at: number }> = [];
      const ended = new Promise<void>(resolve => {
        const sink = new Writable({
          write(chunk, _encoding, callback) {
            received.push({ text: chunk.toString(), at: Date.now() });
            callback();
          },
        });
        sink.on('finish', () => resolve());
        new k8s.Log(kc).log('default', pod.metadata.name, 'main', sink, {
          follow: true,
        });
      });
      await ended;
      expect(received.map(r => r.text).join('')).toBe('one\ntwo\nthree\n');
      // Streamed as written, not at the end.
      expect(received.length).toBeGreaterThan(1);
      const failed = await until(() => {
        const j = fake.get('Job', 'default', 'follow');
        return j?.status?.failed ? j : undefined;
      }, 'the Job to fail');
      expect(failed.status.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Failed',
          reason: 'BackoffLimitExceeded',
        }),
      );
      expect(
        podOf('follow')[0].status.containerStatuses[0].state.terminated,
      ).toMatchObject({ exitCode: 3, reason: 'Error' });
    });

    it('answers 400 for the log of a container that has not started', async () => {
      fake.registry.create(
        (await import('./resources')).resourceTypeOfKind('Pod'),
        'default',
        {
          metadata: {
            name: 'waiting',
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: 'rs',
                uid: 'x',
              },
            ],
          },
          spec: { containers: [{ name: 'main', image: 'x' }] },
        },
      );
      const error = await core
        .readNamespacedPodLog({ namespace: 'default', name: 'waiting' })
        .catch(e => e);
      expect(error.code).toBe(400);
      expect(String(error.body)).toContain('is waiting to start');
    });

    it('retries failed pods up to backoffLimit', async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('retry', 'exit 1', { backoffLimit: 2 }) as K8s.V1Job,
      });
      const failed = await until(() => {
        const j = fake.get('Job', 'default', 'retry');
        return j?.status?.conditions?.some((c: any) => c.type === 'Failed')
          ? j
          : undefined;
      }, 'the Job to fail');
      expect(failed.status.failed).toBe(3);
      expect(podOf('retry')).toHaveLength(3);
    });

    it('fails a Job at activeDeadlineSeconds, deleting its pod, and deletes finished Jobs after their TTL', async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job('slow', 'echo started; exec sleep 30', {
          activeDeadlineSeconds: 1,
          ttlSecondsAfterFinished: 1,
        }) as K8s.V1Job,
      });
      const failed = await until(() => {
        const j = fake.get('Job', 'default', 'slow');
        return j?.status?.conditions?.some((c: any) => c.type === 'Failed')
          ? j
          : undefined;
      }, 'the deadline');
      expect(failed.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Failed', reason: 'DeadlineExceeded' }),
      );
      expect(podOf('slow')).toEqual([]);
      await until(
        () => fake.get('Job', 'default', 'slow') === undefined,
        'the TTL to delete the Job',
      );
    });

    it('kills a deleted pod’s process after its grace period, also when it ignores SIGTERM', async () => {
      await batch.createNamespacedJob({
        namespace: 'default',
        body: job(
          'stubborn',
          "trap '' TERM; echo $$; while true; do sleep 0.1; done",
        ) as K8s.V1Job,
      });
      const pod = await until(
        () => podOf('stubborn').find(p => p.status?.phase === 'Running'),
        'the pod to run',
      );
      const pid = Number(
        await until(
          () => /^(\d+)\n/.exec(fake.logs.text(pod.metadata.uid!, 'main'))?.[1],
          'the process to start',
        ),
      );
      const deleted = Date.now();
      await batch.deleteNamespacedJob({
        namespace: 'default',
        name: 'stubborn',
      });
      await until(() => !existsSync(`/proc/${pid}`), 'the process to end');
      const took = Date.now() - deleted;
      // terminationGracePeriodSeconds is 1: SIGTERM was ignored, SIGKILL ended it.
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(5000);
    });
  });
});
