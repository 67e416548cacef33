import type * as K8s from '@kubernetes/client-node';
import { request } from 'node:https';
import { FakeKubernetesApiServer } from './FakeKubernetesApiServer';

/** A GET with plain https, trusting the fake's certificate. */
function get(fake: FakeKubernetesApiServer, path: string, token = fake.token) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      `${fake.url}${path}`,
      {
        ca: Buffer.from(fake.caData, 'base64'),
        headers: { Authorization: `Bearer ${token}` },
      },
      res => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { 'backstage.io/kubernetes-id': 'web' },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', 'backstage.io/kubernetes-id': 'web' } },
      spec: {
        containers: [
          { name: 'web', image, env: [{ name: 'MODE', value: 'test' }] },
        ],
      },
    },
  },
});

/** The Status a failed call carried, as the client reports it. */
function statusOf(error: unknown) {
  const body = (error as { body?: unknown }).body;
  return typeof body === 'string' ? JSON.parse(body) : body;
}

describe('FakeKubernetesApiServer with the real client', () => {
  let fake: FakeKubernetesApiServer;
  let k8s: typeof K8s;
  let kc: K8s.KubeConfig;

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
  });

  afterEach(() => fake.stop());

  const apply = (object: object, manager = 'tester', force = true) =>
    k8s.KubernetesObjectApi.makeApiClient(kc).patch(
      object as K8s.KubernetesObject,
      undefined,
      undefined,
      manager,
      force,
      k8s.PatchStrategy.ServerSideApply,
    );

  it('refuses requests without the bearer token', async () => {
    const anonymous = new k8s.KubeConfig();
    anonymous.loadFromOptions({
      clusters: [{ name: 'fake', server: fake.url, caData: fake.caData }],
      users: [{ name: 'nobody', token: 'wrong' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'nobody' }],
      currentContext: 'fake',
    });
    const core = anonymous.makeApiClient(k8s.CoreV1Api);
    const error = await core.listNamespace().catch(e => e);
    expect(error.code).toBe(401);
    expect(await get(fake, '/api/v1/namespaces', 'wrong')).toEqual({
      status: 401,
      body: expect.objectContaining({ kind: 'Status', reason: 'Unauthorized' }),
    });
  });

  it('creates on apply, keeps re-applies idempotent, tracks generations and conflicts', async () => {
    fake.setDeploymentBehaviour({ type: 'neverReady' });
    const created = await apply(deployment('web:1'));
    expect(created.metadata).toMatchObject({
      generation: 1,
      managedFields: [
        expect.objectContaining({ manager: 'tester', operation: 'Apply' }),
      ],
    });
    // Once the controller has recorded the rollout, applying the same
    // configuration again writes nothing.
    while (
      fake.get('Deployment', 'default', 'web')?.status?.observedGeneration !== 1
    ) {
      await new Promise(r => setTimeout(r, 10));
    }
    const settled = fake.get('Deployment', 'default', 'web')!.metadata
      .resourceVersion;
    const again = await apply(deployment('web:1'));
    expect(again.metadata?.resourceVersion).toBe(settled);

    const updated = await apply(deployment('web:2'));
    expect(updated.metadata?.generation).toBe(2);

    // Dropping a field from the applied configuration removes it, as long
    // as no other manager owns it too.
    const withoutEnv = deployment('web:2');
    delete (withoutEnv.spec.template.spec.containers[0] as { env?: unknown })
      .env;
    const trimmed = (await apply(withoutEnv)) as K8s.V1Deployment;
    expect(trimmed.spec?.template.spec?.containers[0].env).toBeUndefined();
    expect(trimmed.metadata?.generation).toBe(3);

    const other = { ...deployment('web:3') };
    const error = await apply(other, 'someone-else', false).catch(e => e);
    expect(error.code).toBe(409);
    expect(statusOf(error).message).toContain(
      'conflict with "tester": .spec.template.spec.containers[name="web"].image',
    );
    const forced = await apply(other, 'someone-else', true);
    expect(forced.metadata?.generation).toBe(4);
    expect(forced.metadata?.managedFields?.map(m => m.manager).sort()).toEqual([
      'someone-else',
      'tester',
    ]);

    expect(
      fake.requests.some(r => r.contentType === 'application/apply-patch+yaml'),
    ).toBe(true);
  });

  it('answers like Kubernetes for missing, existing and stale objects', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const missing = await core
      .readNamespacedSecret({ name: 'nope', namespace: 'default' })
      .catch(e => e);
    expect(missing.code).toBe(404);
    expect(statusOf(missing)).toMatchObject({
      reason: 'NotFound',
      message: 'secrets "nope" not found',
    });

    const secret = await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'creds' }, stringData: { password: 'p' } },
    });
    expect(secret.data).toEqual({
      password: Buffer.from('p').toString('base64'),
    });
    const duplicate = await core
      .createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name: 'creds' } },
      })
      .catch(e => e);
    expect(statusOf(duplicate)).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });

    await core.replaceNamespacedSecret({
      name: 'creds',
      namespace: 'default',
      body: { ...secret, data: { password: 'cQ==' } },
    });
    const stale = await core
      .replaceNamespacedSecret({
        name: 'creds',
        namespace: 'default',
        body: secret,
      })
      .catch(e => e);
    expect(statusOf(stale)).toMatchObject({ code: 409, reason: 'Conflict' });

    const noNamespace = await core
      .createNamespacedConfigMap({
        namespace: 'absent',
        body: { metadata: { name: 'c' } },
      })
      .catch(e => e);
    expect(statusOf(noNamespace)).toMatchObject({
      code: 404,
      message: 'namespaces "absent" not found',
    });

    const invalid = await apply({
      ...deployment('web:1'),
      spec: {
        ...deployment('web:1').spec,
        selector: { matchLabels: { app: 'other' } },
      },
    }).catch(e => e);
    expect(statusOf(invalid)).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  it('rolls Deployments out, lists by label, watches, and patches', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await apply(deployment('web:1'));

    const events: string[] = [];
    let watchRequest: AbortController | undefined;
    const available = new Promise<K8s.V1Deployment>((resolve, reject) => {
      new k8s.Watch(kc)
        .watch(
          '/apis/apps/v1/namespaces/default/deployments',
          {
            fieldSelector: 'metadata.name=web',
            resourceVersion: created.metadata?.resourceVersion,
          },
          (type, object: K8s.V1Deployment) => {
            events.push(type);
            if (object.status?.availableReplicas === 2) resolve(object);
          },
          error => reject(error ?? new Error('watch ended')),
        )
        .then(r => {
          watchRequest = r;
        }, reject);
    });
    const done = await available;
    watchRequest?.abort();
    expect(events.every(e => e === 'MODIFIED')).toBe(true);
    expect(done.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
    });

    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'backstage.io/kubernetes-id=web,app in (web)',
    });
    expect(pods.items).toHaveLength(2);
    expect(pods.items.every(p => p.status?.phase === 'Running')).toBe(true);
    const none = await core.listPodForAllNamespaces({
      labelSelector: 'app!=web',
    });
    expect(none.items).toHaveLength(0);

    const patched = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { metadata: { annotations: { note: 'x' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.annotations).toEqual({ note: 'x' });
    expect(patched.metadata?.generation).toBe(1);

    await apps.deleteNamespacedDeployment({
      name: 'web',
      namespace: 'default',
    });
    expect(fake.list('ReplicaSet', 'default')).toEqual([]);
    expect(fake.list('Pod', 'default')).toEqual([]);
  });

  it('lets a test fail rollouts on the progress deadline', async () => {
    fake.setDeploymentBehaviour({
      type: 'progressDeadlineExceeded',
      afterMs: 10,
    });
    await apply(deployment('web:1'));
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    let conditions: K8s.V1DeploymentCondition[] = [];
    for (
      let i = 0;
      i < 50 &&
      !conditions.some(c => c.status === 'False' && c.type === 'Progressing');
      i++
    ) {
      await new Promise(r => setTimeout(r, 20));
      const current = await apps.readNamespacedDeployment({
        name: 'web',
        namespace: 'default',
      });
      conditions = current.status?.conditions ?? [];
    }
    expect(conditions).toContainEqual(
      expect.objectContaining({
        type: 'Progressing',
        reason: 'ProgressDeadlineExceeded',
      }),
    );
  });

  it('answers other list endpoints with empty lists', async () => {
    const res = await get(
      fake,
      '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers?labelSelector=a%3Db',
    );
    expect(res).toEqual({
      status: 200,
      body: expect.objectContaining({ items: [] }),
    });
  });
});
