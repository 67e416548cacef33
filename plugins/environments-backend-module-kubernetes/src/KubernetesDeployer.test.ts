import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { FakeKubernetesApiServer } from '@internal/platform-backend-test-utils';
import {
  Deployment,
  DeploymentStatusReport,
  Environment,
} from '@internal/plugin-environments-common';
import { DeployVariable } from '@internal/plugin-environments-node';
import { KubernetesDeployer } from './KubernetesDeployer';

const SECRET = 's3cr3t-Value-42';
const digest = (version: string) =>
  `sha256:${createHash('sha256').update(version).digest('hex')}`;

function environment(target?: Partial<Environment['target']>): Environment {
  return {
    name: 'dev',
    tier: 'development',
    promotionOrder: 10,
    owner: 'group:default/platform-admins',
    target: {
      type: 'kubernetes',
      cluster: 'local',
      namespacePattern: '{component}-{environment}',
      ...target,
    } as Environment['target'],
    protected: false,
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'user:default/ada',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'user:default/ada',
  };
}

function deploymentOf(version: string, id = `d-${version}`): Deployment {
  return {
    id,
    component: 'component:default/payments-api',
    environment: 'dev',
    version,
    artifact: {
      image: `registry.local/payments-api:${version}`,
      digest: digest(version),
    },
    status: 'pending',
    trigger: { type: 'user', user: 'user:default/priya' },
    deployer: 'kubernetes',
    createdAt: '2026-01-01T00:00:00Z',
  };
}

const variables: DeployVariable[] = [
  { name: 'LOG_LEVEL', value: 'debug', secret: false },
  { name: 'DB_PASSWORD', value: SECRET, secret: true },
];

describe('KubernetesDeployer against a Kubernetes API server', () => {
  let fake: FakeKubernetesApiServer;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  beforeEach(async () => {
    fake = await FakeKubernetesApiServer.start();
    logger = mockServices.logger.mock();
  });
  afterEach(() => fake.stop());

  function deployer(
    options: { rolloutTimeoutMs?: number; token?: string } = {},
  ) {
    return new KubernetesDeployer({
      clusters: [
        {
          name: 'local',
          url: fake.url,
          serviceAccountToken: options.token ?? fake.token,
          caData: fake.caData,
          skipTLSVerify: false,
          skipMetricsLookup: false,
        },
      ],
      rolloutTimeoutMs: options.rolloutTimeoutMs ?? 5000,
      containerPort: 8080,
      logger,
    });
  }

  async function deploy(
    target: KubernetesDeployer,
    deployment: Deployment,
    vars: DeployVariable[] = variables,
    env = environment(),
  ) {
    const reports: DeploymentStatusReport[] = [];
    await target.deploy(
      { deployment, environment: env, variables: vars },
      { report: async r => void reports.push(r) },
    );
    return reports;
  }

  it('applies namespace, Secret, Deployment and Service, and reports the finished rollout', async () => {
    const reports = await deploy(deployer(), deploymentOf('1.4.0'));

    expect(reports.map(r => r.status)).toEqual([
      'in_progress',
      'in_progress',
      'succeeded',
    ]);
    expect(reports[2].message).toContain(
      `rolled out: 1 of 1 replicas available in namespace 'payments-api-dev' of cluster 'local'`,
    );

    expect(
      fake.get('Namespace', '', 'payments-api-dev')?.metadata.labels,
    ).toEqual({
      'app.kubernetes.io/managed-by': 'launchpad-environments',
    });
    const workload = fake.get(
      'Deployment',
      'payments-api-dev',
      'payments-api',
    )!;
    expect(workload.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'payments-api',
      'app.kubernetes.io/instance': 'payments-api',
      'app.kubernetes.io/version': '1.4.0',
      'app.kubernetes.io/managed-by': 'launchpad-environments',
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expect(workload.metadata.annotations).toMatchObject({
      'launchpad.dev/deployment-id': 'd-1.4.0',
      'launchpad.dev/environment': 'dev',
    });
    expect(
      workload.metadata.managedFields?.map(m => [m.manager, m.operation]),
    ).toEqual([['launchpad-environments', 'Apply']]);
    const [container] = workload.spec.template.spec.containers;
    expect(container).toMatchObject({
      name: 'payments-api',
      image: `registry.local/payments-api:1.4.0@${digest('1.4.0')}`,
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        {
          name: 'DB_PASSWORD',
          valueFrom: {
            secretKeyRef: { name: 'payments-api-env', key: 'DB_PASSWORD' },
          },
        },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
    });
    const secret = fake.get('Secret', 'payments-api-dev', 'payments-api-env')!;
    const data = secret.data as Record<string, string>;
    expect(Buffer.from(data.DB_PASSWORD, 'base64').toString()).toBe(SECRET);
    expect(Object.keys(data)).toEqual(['DB_PASSWORD']);

    const service = fake.get('Service', 'payments-api-dev', 'payments-api')!;
    expect(service.spec).toMatchObject({
      selector: {
        'app.kubernetes.io/name': 'payments-api',
        'app.kubernetes.io/instance': 'payments-api',
      },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(service.metadata.labels?.['backstage.io/kubernetes-id']).toBe(
      'payments-api',
    );

    const pods = fake.list('Pod', 'payments-api-dev');
    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.labels?.['backstage.io/kubernetes-id']).toBe(
      'payments-api',
    );

    // Server-side apply with the deployer's field manager, forcing.
    const applies = fake.requests.filter(
      r => r.contentType === 'application/apply-patch+yaml',
    );
    expect(applies.map(r => r.path)).toEqual([
      '/api/v1/namespaces/payments-api-dev',
      '/api/v1/namespaces/payments-api-dev/secrets/payments-api-env',
      '/apis/apps/v1/namespaces/payments-api-dev/deployments/payments-api',
      '/api/v1/namespaces/payments-api-dev/services/payments-api',
    ]);
    expect(
      applies.every(r => r.query.fieldManager === 'launchpad-environments'),
    ).toBe(true);
    expect(applies.every(r => r.query.force === 'true')).toBe(true);
  });

  it('keeps secret values out of the Deployment, the reports and the logs', async () => {
    fake.setDeploymentBehaviour({
      type: 'progressDeadlineExceeded',
      afterMs: 10,
    });
    const reports = await deploy(deployer(), deploymentOf('1.4.0'));
    const workload = fake.get('Deployment', 'payments-api-dev', 'payments-api');
    expect(JSON.stringify(workload)).not.toContain(SECRET);
    expect(JSON.stringify(reports)).not.toContain(SECRET);
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
      logger.debug.mock.calls,
    ]);
    expect(logged).not.toContain(SECRET);
    // What an API server echoes back is redacted too.
    const echoing = await deploy(deployer(), deploymentOf('1.4.1'), [
      { name: `BAD ${SECRET}`, value: SECRET, secret: false },
      { name: 'TOKEN', value: SECRET, secret: true },
    ]);
    expect(echoing.at(-1)?.status).toBe('failed');
    expect(echoing.at(-1)?.message).toContain('BAD ***');
    expect(JSON.stringify(echoing)).not.toContain(SECRET);
  });

  it('fails with the condition when the rollout stops progressing', async () => {
    fake.setDeploymentBehaviour({
      type: 'progressDeadlineExceeded',
      afterMs: 20,
    });
    const reports = await deploy(deployer(), deploymentOf('1.4.0'));
    expect(reports.at(-1)).toEqual({
      status: 'failed',
      message: expect.stringMatching(
        /stopped progressing \(ProgressDeadlineExceeded\): ReplicaSet "payments-api-[0-9a-f]+" has timed out progressing\./,
      ),
    });
  });

  it('fails when the rollout does not finish in time', async () => {
    fake.setDeploymentBehaviour({ type: 'neverReady' });
    const started = Date.now();
    const reports = await deploy(
      deployer({ rolloutTimeoutMs: 300 }),
      deploymentOf('1.4.0'),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(reports.at(-1)).toEqual({
      status: 'failed',
      message: expect.stringContaining(
        'Deployment "payments-api" did not finish rolling out within 300ms; last seen: 0 of 1 updated replicas of deployment "payments-api" available',
      ),
    });
  });

  it('stops waiting when the backend shuts down, or a later deployment takes over', async () => {
    fake.setDeploymentBehaviour({ type: 'neverReady' });
    const target = deployer({ rolloutTimeoutMs: 60_000 });
    const first = deploy(target, deploymentOf('1.4.0'));
    while (!fake.get('Deployment', 'payments-api-dev', 'payments-api')) {
      await new Promise(r => setTimeout(r, 10));
    }
    const second = deploy(target, deploymentOf('1.5.0'));
    expect((await first).at(-1)).toEqual({
      status: 'failed',
      message: expect.stringContaining(
        'Deployment "payments-api" was applied again by deployment d-1.5.0 before its rollout finished',
      ),
    });
    target.stop();
    expect((await second).at(-1)).toEqual({
      status: 'failed',
      message: expect.stringContaining(
        'Stopped waiting for deployment "payments-api" to roll out: the backend is shutting down',
      ),
    });
  });

  it('updates the same objects on a re-deploy, and is idempotent for the same artifact', async () => {
    const target = deployer();
    await deploy(target, deploymentOf('1.4.0'));
    const first = fake.get('Deployment', 'payments-api-dev', 'payments-api')!;

    const reports = await deploy(target, deploymentOf('1.5.0'), [variables[0]]);
    expect(reports.at(-1)?.status).toBe('succeeded');
    const second = fake.get('Deployment', 'payments-api-dev', 'payments-api')!;
    expect(second.metadata.uid).toBe(first.metadata.uid);
    expect(second.metadata.generation).toBe(2);
    expect(second.spec.template.spec.containers[0]).toMatchObject({
      image: `registry.local/payments-api:1.5.0@${digest('1.5.0')}`,
      env: [{ name: 'LOG_LEVEL', value: 'debug' }],
    });
    expect(second.metadata.labels?.['app.kubernetes.io/version']).toBe('1.5.0');
    expect(second.metadata.managedFields).toHaveLength(1);
    // The secret variable is gone, and so is its Secret; the old ReplicaSet is scaled down.
    expect(
      fake.get('Secret', 'payments-api-dev', 'payments-api-env'),
    ).toBeUndefined();
    const replicaSets = fake.list('ReplicaSet', 'payments-api-dev');
    expect(replicaSets.map(rs => rs.spec.replicas).sort()).toEqual([0, 1]);

    const again = await deploy(target, deploymentOf('1.5.0', 'd-again'), [
      variables[0],
    ]);
    expect(again.at(-1)?.status).toBe('succeeded');
    const third = fake.get('Deployment', 'payments-api-dev', 'payments-api')!;
    expect(third.metadata.generation).toBe(2);
    expect(third.metadata.annotations?.['launchpad.dev/deployment-id']).toBe(
      'd-again',
    );
  });

  it('removes what it deployed, and tolerates what is already gone', async () => {
    const target = deployer();
    await deploy(target, deploymentOf('1.4.0'));
    await target.remove({
      component: 'component:default/payments-api',
      environment: environment(),
    });
    for (const [kind, name] of [
      ['Deployment', 'payments-api'],
      ['Service', 'payments-api'],
      ['Secret', 'payments-api-env'],
    ]) {
      expect(fake.get(kind, 'payments-api-dev', name)).toBeUndefined();
    }
    expect(fake.list('Pod', 'payments-api-dev')).toEqual([]);
    await expect(
      target.remove({
        component: 'component:default/payments-api',
        environment: environment(),
      }),
    ).resolves.toBeUndefined();
  });

  it('fails with a message naming the cause', async () => {
    const unknownCluster = await deploy(
      deployer(),
      deploymentOf('1.4.0'),
      variables,
      environment({ cluster: 'elsewhere' }),
    );
    expect(unknownCluster).toEqual([
      {
        status: 'failed',
        message:
          "Environment 'dev' deploys to cluster 'elsewhere', which is not configured in environments.kubernetes.clusters (configured: local)",
      },
    ]);

    const badPattern = await deploy(
      deployer(),
      deploymentOf('1.4.0'),
      variables,
      environment({ namespacePattern: '{team}-{environment}' }),
    );
    expect(badPattern[0].message).toBe(
      "Namespace pattern '{team}-{environment}' of environment 'dev' uses unknown placeholder {team}; the placeholders are {environment}, {component}, {namespace}",
    );
    const badName = await deploy(
      deployer(),
      deploymentOf('1.4.0'),
      variables,
      environment({ namespacePattern: 'Apps_{environment}' }),
    );
    expect(badName[0].message).toContain(
      "gives 'Apps_dev', which is not a valid Kubernetes namespace name",
    );

    const refused = await deploy(
      deployer({ token: 'wrong' }),
      deploymentOf('1.4.0'),
    );
    expect(refused.at(-1)).toEqual({
      status: 'failed',
      message: expect.stringContaining(
        "Could not deploy to namespace 'payments-api-dev' of cluster 'local': reading namespace payments-api-dev failed: Unauthorized (HTTP 401 Unauthorized)",
      ),
    });

    const invalid = await deploy(deployer(), deploymentOf('1.4.0'), [
      { name: '1_INVALID', value: 'x', secret: false },
    ]);
    expect(invalid.at(-1)?.message).toContain(
      'applying Deployment payments-api failed: Deployment.apps "payments-api" is invalid: spec.template.spec.containers[0].env[0].name: Invalid value: "1_INVALID"',
    );
    expect(invalid.at(-1)?.message).toContain('(HTTP 422 Invalid)');
  });
});
