import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  bearerFor,
  scaffolderTaskOutcome,
  scaffolderTestTemplate as template,
} from '@internal/platform-backend-test-utils';
import environmentsPlugin from '@internal/plugin-environments-backend';
import scaffolderModuleEnvironments from '@internal/plugin-scaffolder-backend-module-environments';
import { resolve } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  platformTestConfig,
  startPlatformTestBackend,
} from './__testUtils__/platformTestBackend';

// The actions run in the real scaffolder, started by a user through the
// scaffolder API, against the real environments backend, permission backend
// with the platform policy, and catalog: what a template run does.

const digest = `sha256:${'ab'.repeat(32)}`;
const artifact = { image: 'registry.local/payments-api:1.4.0', digest };

function component(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

const deployStep = (input: object) => ({
  id: 'deploy',
  action: 'environments:deploy',
  input,
});
const createStep = (input: object) => ({
  id: 'create',
  action: 'environments:create',
  input,
});
const qa = {
  name: 'qa',
  title: 'QA',
  tier: 'staging',
  promotionOrder: 15,
  owner: 'group:default/team-payments',
  target: {
    type: 'kubernetes',
    cluster: 'eu-1',
    namespacePattern: '{component}-qa',
  },
};

const files = createMockDirectory({
  content: {
    'catalog.yaml': [
      component('payments-api', 'group:default/team-payments'),
      component('invoice-service', 'group:default/team-payments'),
      template('create-qa', [createStep(qa)]),
      template('create-qa-2', [createStep({ ...qa, name: 'qa-2' })]),
      template('create-bad-name', [createStep({ ...qa, name: 'Not A Name' })]),
      template('deploy-and-wait', [
        deployStep({
          component: 'payments-api',
          environment: 'dev',
          version: '1.4.0',
          artifact,
          waitForCompletion: true,
          timeoutSeconds: 60,
        }),
      ]),
      template('deploy-timeout', [
        deployStep({
          component: 'component:default/payments-api',
          environment: 'staging',
          version: '1.4.0',
          artifact,
          waitForCompletion: true,
          timeoutSeconds: 1,
        }),
      ]),
      template('deploy-rendered', [
        { id: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
        deployStep({ environment: 'dev', version: '0.1.0', artifact }),
      ]),
      template('deploy-bad-digest', [
        deployStep({
          component: 'payments-api',
          environment: 'dev',
          version: '1.4.0',
          artifact: { image: artifact.image, digest: 'md5:1' },
        }),
      ]),
      template('deploy-unknown-environment', [
        deployStep({
          component: 'payments-api',
          environment: 'mars',
          version: '1.4.0',
          artifact,
        }),
      ]),
      template('deploy-without-artifact', [
        deployStep({
          component: 'payments-api',
          environment: 'dev',
          version: '1.4.0',
        }),
      ]),
    ]
      .map(doc => yaml.stringify(doc))
      .join('---\n'),
    'skeleton/catalog-info.yaml': yaml.stringify(
      component('invoice-service', 'group:default/team-payments'),
    ),
  },
});

const environment = (name: string, order: number) => ({
  name,
  tier: 'development',
  promotionOrder: order,
  owner: 'group:default/platform-admins',
  target: { type: 'external' },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())(
  'scaffolder actions on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: typeof backend.server;

    beforeAll(async () => {
      backend = await startPlatformTestBackend({
        databases,
        databaseId,
        features: [
          environmentsPlugin,
          scaffolderPlugin,
          scaffolderModuleEnvironments,
          catalogTemplateKind,
          mockServices.rootConfig.factory({
            data: {
              ...platformTestConfig({
                kinds: ['Component', 'Template'],
                files: [
                  files.resolve('catalog.yaml'),
                  // The portal's own template, as its users run it.
                  resolve(
                    __dirname,
                    '../../../templates/environment/template.yaml',
                  ),
                ],
              }),
              environments: {
                initial: [environment('dev', 10), environment('staging', 20)],
                // The cluster qa's target names: a target's cluster must
                // be configured. Nothing is deployed there.
                kubernetes: {
                  clusters: [
                    {
                      name: 'eu-1',
                      url: 'https://eu-1.k8s.example.test',
                      serviceAccountToken: 'test-token',
                    },
                  ],
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      // Wait for the catalog to have processed the templates.
      for (const name of ['deploy-without-artifact', 'environment']) {
        for (let i = 0; i < 200; i++) {
          const res = await request(server)
            .get(`/api/catalog/entities/by-name/template/default/${name}`)
            .set('Authorization', bearerFor('ada'));
          if (res.status === 200) break;
          await new Promise(r => setTimeout(r, 100));
        }
      }
    });

    afterAll(async () => {
      // The scaffolder watches each task's events for a cancel, once a
      // second, until it sees the completion; its loop has no way to stop on
      // shutdown. Give it that second, then stop the backend before the
      // databases go, or its next look hits a closed pool.
      await new Promise(r => setTimeout(r, 1500));
      await backend.stop();
    });

    const api = (user: string) => ({
      get: (path: string) =>
        request(server)
          .get(`/api${path}`)
          .set('Authorization', bearerFor(user)),
      post: (path: string, body: object) =>
        request(server)
          .post(`/api${path}`)
          .set('Authorization', bearerFor(user))
          .send(body),
    });

    /** Starts a template as a user; resolves with the task's outcome. */
    async function run(user: string, templateName: string, values = {}) {
      const started = await api(user).post('/scaffolder/v2/tasks', {
        templateRef: `template:default/${templateName}`,
        values,
      });
      expect(started.status).toBe(201);
      const id = started.body.id;
      const finished = () => scaffolderTaskOutcome(api(user).get, id);
      return { id, finished };
    }

    async function deploymentsOf(query: string) {
      const res = await api('ada').get(`/environments/deployments?${query}`);
      expect(res.status).toBe(200);
      return res.body.items as Array<{
        id: string;
        status: string;
        component: string;
        trigger: { user?: string };
      }>;
    }

    it('creates an environment as the admin who runs the template', async () => {
      const task = await run('ada', 'create-qa');
      const outcome = await task.finished();
      expect(outcome.status).toBe('completed');
      expect(outcome.output.result).toEqual({
        name: 'qa',
        tier: 'staging',
        owner: 'group:default/team-payments',
      });
      const created = await api('ada').get('/environments/environments/qa');
      expect(created.status).toBe(200);
      // Created on behalf of the user, not as the scaffolder.
      expect(created.body).toMatchObject({
        tier: 'staging',
        createdBy: 'user:default/ada',
      });
    });

    it('refuses to create an environment for someone who is not an admin', async () => {
      const outcome = await (await run('priya', 'create-qa-2')).finished();
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "Could not create environment 'qa-2': Not allowed to environments.environment.create",
      );
      expect(
        (await api('ada').get('/environments/environments/qa-2')).status,
      ).toBe(404);
    });

    it('reports a malformed environment with the field at fault', async () => {
      const outcome = await (await run('ada', 'create-bad-name')).finished();
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "Could not create environment 'Not A Name': request/body/name must match pattern",
      );
    });

    it('deploys for the owning team and waits until the deployment succeeds', async () => {
      const task = await run('priya', 'deploy-and-wait');
      // The external deployer waits for the CD system to report: play it.
      let pending;
      while (!pending) {
        [pending] = await deploymentsOf(
          'component=component:default/payments-api&environment=dev',
        );
      }
      expect(pending).toMatchObject({
        status: 'pending',
        trigger: { user: 'user:default/priya' },
      });
      const reported = await api('priya').post(
        `/environments/deployments/${pending.id}/status`,
        { status: 'succeeded' },
      );
      expect(reported.status).toBe(200);

      const outcome = await task.finished();
      expect(outcome.status).toBe('completed');
      expect(outcome.output.result).toEqual({
        deploymentId: pending.id,
        status: 'succeeded',
        component: 'component:default/payments-api',
      });
    });

    it('refuses a deploy by a team that does not own the component, and stores nothing', async () => {
      const before = await deploymentsOf('environment=dev');
      const outcome = await (await run('otto', 'deploy-and-wait')).finished();
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "Could not deploy component:default/payments-api 1.4.0 to 'dev': Not allowed to environments.deployment.create on component:default/payments-api",
      );
      expect(await deploymentsOf('environment=dev')).toEqual(before);
    });

    it('deploys the component the template rendered when none is named', async () => {
      const task = await run('priya', 'deploy-rendered');
      const outcome = await task.finished();
      expect(outcome.status).toBe('completed');
      expect(outcome.output.result).toMatchObject({
        component: 'component:default/invoice-service',
        status: 'pending',
      });
      const [deployment] = await deploymentsOf(
        'component=component:default/invoice-service',
      );
      expect(deployment.id).toBe(outcome.output.result.deploymentId);
    });

    it('fails the step when the deployment does not finish in time', async () => {
      const outcome = await (await run('priya', 'deploy-timeout')).finished();
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toMatch(
        /Deployment [0-9a-f-]+ is still pending after 1 s/,
      );
    });

    describe('the "Create an environment" template', () => {
      it('creates a Kubernetes environment with approvers', async () => {
        const outcome = await (
          await run('ada', 'environment', {
            name: 'perf',
            title: 'Performance',
            tier: 'staging',
            promotionOrder: 25,
            owner: 'group:default/team-payments',
            targetType: 'kubernetes',
            cluster: 'eu-1',
            namespacePattern: '{component}-perf',
            protected: true,
            approvers: ['group:default/platform-admins'],
          })
        ).finished();
        expect(outcome.status).toBe('completed');
        const created = await api('ada').get('/environments/environments/perf');
        expect(created.body).toMatchObject({
          title: 'Performance',
          tier: 'staging',
          promotionOrder: 25,
          owner: 'group:default/team-payments',
          target: {
            type: 'kubernetes',
            cluster: 'eu-1',
            namespacePattern: '{component}-perf',
          },
          protected: true,
          approvers: ['group:default/platform-admins'],
          createdBy: 'user:default/ada',
        });
      });

      it('creates an external environment from the required fields alone', async () => {
        const outcome = await (
          await run('ada', 'environment', {
            name: 'sandbox',
            tier: 'development',
            promotionOrder: 5,
            owner: 'group:default/team-payments',
            targetType: 'external',
          })
        ).finished();
        expect(outcome.status).toBe('completed');
        const created = await api('ada').get(
          '/environments/environments/sandbox',
        );
        expect(created.body).toMatchObject({
          tier: 'development',
          target: { type: 'external' },
          protected: false,
        });
        expect(created.body.title).toBeUndefined();
        expect(created.body.approvers).toBeUndefined();
      });

      it('is refused for someone who is not an admin', async () => {
        const outcome = await (
          await run('priya', 'environment', {
            name: 'mine',
            tier: 'development',
            promotionOrder: 5,
            owner: 'group:default/team-payments',
            targetType: 'external',
          })
        ).finished();
        expect(outcome.status).toBe('failed');
        expect(outcome.log).toContain(
          "Could not create environment 'mine': Not allowed to environments.environment.create",
        );
      });
    });

    it.each([
      [
        'deploy-bad-digest',
        "Could not deploy component:default/payments-api 1.4.0 to 'dev': request/body/artifact/digest must match pattern",
      ],
      [
        'deploy-unknown-environment',
        "Could not deploy component:default/payments-api 1.4.0 to 'mars': No environment named 'mars'",
      ],
      [
        'deploy-without-artifact',
        'Invalid input passed to action environments:deploy',
      ],
    ])('reports bad input from %s with the reason', async (name, reason) => {
      const before = await deploymentsOf('limit=500');
      const outcome = await (await run('priya', name)).finished();
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(reason);
      expect(await deploymentsOf('limit=500')).toEqual(before);
    });
  },
);
