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
  createPipelineRepository,
  PipelineRepository,
  scaffolderTaskOutcome,
  scaffolderTestTemplate as template,
} from '@internal/platform-backend-test-utils';
import pipelinesPlugin from '@internal/plugin-pipelines-backend';
import localExecutorModule from '@internal/plugin-pipelines-backend-module-local-executor';
import scaffolderModulePipelines from '@internal/plugin-scaffolder-backend-module-pipelines';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  platformTestConfig,
  startPlatformTestBackend,
} from './__testUtils__/platformTestBackend';

// The action runs in the real scaffolder, started by a user through the
// scaffolder API, against the real pipelines backend with the local executor
// (pipelines from git repositories in temporary folders), the permission
// backend with the platform policy, and the catalog: what a template run does.

const PASSING = `
version: 1
stages:
  - name: build
    steps:
      - name: hello
        run: echo "hello from $PIPELINE_COMPONENT"
`;
const FAILING = `
version: 1
stages:
  - name: build
    steps:
      - name: unit-tests
        run: echo "2 tests failed"; exit 3
`;

/**
 * Where the catalog says the components live: addresses naming their default
 * branch, rewritten to the test repositories (`pipelines.git.rewrites`).
 */
const PAYMENTS_LOCATION = 'https://git.example.test/acme/payments-api';
const INVOICES_LOCATION = 'https://git.example.test/acme/invoice-service';

function component(name: string, repoUrl: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'backstage.io/source-location': `url:${repoUrl}` },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
    },
  };
}

const triggerStep = (input: object) => ({
  id: 'trigger',
  action: 'pipelines:trigger',
  input,
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())(
  'pipelines:trigger on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: typeof backend.server;
    let passing: PipelineRepository;
    let failing: PipelineRepository;
    let root: string;

    beforeAll(async () => {
      passing = await createPipelineRepository();
      failing = await createPipelineRepository();
      await passing.commit(PASSING);
      await passing.commit(PASSING, 'release');
      await passing.commit(PASSING.replace('echo', 'sleep 10; echo'), 'slow');
      await failing.commit(FAILING);
      await failing.commit(FAILING, 'trunk');
      root = await mkdtemp(join(tmpdir(), 'scaffolder-pipelines-'));
      const files = createMockDirectory({
        content: {
          'catalog.yaml': [
            component('payments-api', `${PAYMENTS_LOCATION}/tree/main/`),
            component('invoice-service', `${INVOICES_LOCATION}/tree/trunk/`),
            // Its address names no branch and no webhook came for it.
            component('ledger', 'https://git.example.test/acme/ledger/'),
            template('trigger-and-wait', [
              triggerStep({
                component: 'payments-api',
                branch: 'refs/heads/release',
                waitForCompletion: true,
                timeoutSeconds: 60,
              }),
            ]),
            template('trigger-failing', [
              triggerStep({
                component: 'component:default/invoice-service',
                waitForCompletion: true,
                timeoutSeconds: 60,
              }),
            ]),
            template('trigger-unknown', [
              triggerStep({ component: 'no-such-service' }),
            ]),
            template('trigger-no-default-branch', [
              triggerStep({ component: 'ledger' }),
            ]),
            template('trigger-rendered', [
              {
                id: 'fetch',
                action: 'fetch:plain',
                input: { url: './skeleton' },
              },
              triggerStep({}),
            ]),
            template('trigger-timeout', [
              triggerStep({
                component: 'payments-api',
                branch: 'slow',
                waitForCompletion: true,
                timeoutSeconds: 1,
              }),
            ]),
            template('trigger-tag', [
              triggerStep({
                component: 'payments-api',
                branch: 'refs/tags/v1',
              }),
            ]),
          ]
            .map(doc => yaml.stringify(doc))
            .join('---\n'),
          'skeleton/catalog-info.yaml': yaml.stringify(
            component('payments-api', passing.url),
          ),
        },
      });
      backend = await startPlatformTestBackend({
        databases,
        databaseId,
        features: [
          pipelinesPlugin,
          localExecutorModule,
          scaffolderPlugin,
          scaffolderModulePipelines,
          catalogTemplateKind,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'https://portal.example.com/' },
              ...platformTestConfig({
                kinds: ['Component', 'Template'],
                files: [files.resolve('catalog.yaml')],
              }),
              pipelines: {
                git: {
                  rewrites: [
                    { from: PAYMENTS_LOCATION, to: passing.url },
                    { from: INVOICES_LOCATION, to: failing.url },
                  ],
                },
                engine: {
                  executor: 'local',
                  lease: { seconds: 2 },
                  heartbeat: { milliseconds: 200 },
                  pollInterval: { milliseconds: 100 },
                },
                executors: {
                  local: {
                    enabled: true,
                    workspaceRoot: join(root, 'workspaces'),
                    killGracePeriod: { milliseconds: 300 },
                  },
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      // Wait for the catalog to have processed the entities (the ownership
      // relations decide the permission).
      for (const ref of [
        'component/default/invoice-service',
        'component/default/ledger',
        'template/default/trigger-tag',
      ]) {
        for (let i = 0; i < 200; i++) {
          const res = await request(server)
            .get(`/api/catalog/entities/by-name/${ref}`)
            .set('Authorization', bearerFor('ada'));
          if (res.status === 200 && res.body.relations?.length > 0) break;
          await new Promise(r => setTimeout(r, 100));
        }
      }
    });

    afterAll(async () => {
      // The scaffolder watches each task's events for a cancel, once a
      // second, until it sees the completion; give it that second before the
      // databases go.
      await new Promise(r => setTimeout(r, 1500));
      await backend?.stop();
      await passing?.remove();
      await failing?.remove();
      if (root) await rm(root, { recursive: true, force: true });
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

    /** Runs a template as a user; resolves with the task's outcome. */
    async function run(user: string, templateName: string) {
      const started = await api(user).post('/scaffolder/v2/tasks', {
        templateRef: `template:default/${templateName}`,
        values: {},
      });
      expect(started.status).toBe(201);
      return scaffolderTaskOutcome(api(user).get, started.body.id);
    }

    async function runsOf(componentRef: string) {
      const res = await api('ada').get(
        `/pipelines/runs?component=${componentRef}&limit=100`,
      );
      expect(res.status).toBe(200);
      return res.body.items as Array<{
        id: string;
        number: number;
        status: string;
        branch: string;
        trigger: { type: string; requestedBy?: string };
      }>;
    }

    it('runs the pipeline for the owning team and waits until it succeeds', async () => {
      const outcome = await run('priya', 'trigger-and-wait');
      expect(outcome.status).toBe('completed');
      const { runId, runNumber, status, runUrl } = outcome.output.result;
      expect(status).toBe('succeeded');
      expect(runUrl).toBe(`https://portal.example.com/pipelines/runs/${runId}`);
      const triggered = await api('priya').get(`/pipelines/runs/${runId}`);
      expect(triggered.body).toMatchObject({
        component: 'component:default/payments-api',
        number: runNumber,
        branch: 'release',
        status: 'succeeded',
        // Started on behalf of the user, not as the scaffolder.
        trigger: { type: 'manual', requestedBy: 'user:default/priya' },
      });
      expect(outcome.log).toContain(
        `Started run #${runNumber} of component:default/payments-api on release: ${runUrl}`,
      );
    });

    it("fails the step with the reason when the run fails, on the component's default branch when none is given", async () => {
      const outcome = await run('priya', 'trigger-failing');
      expect(outcome.status).toBe('failed');
      const [failed] = await runsOf('component:default/invoice-service');
      expect(failed).toMatchObject({ status: 'failed', branch: 'trunk' });
      expect(outcome.log).toContain(
        `Run #${failed.number} of component:default/invoice-service on trunk failed: step 'unit-tests' exited with code 3 (https://portal.example.com/pipelines/runs/${failed.id})`,
      );
    });

    it('fails clearly when no branch is given and the default branch is not known', async () => {
      const outcome = await run('priya', 'trigger-no-default-branch');
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "Could not start a run of component:default/ledger on its default branch: no branch given and the default branch of component 'component:default/ledger' is not known",
      );
      expect(await runsOf('component:default/ledger')).toEqual([]);
    });

    it('refuses a user without pipelines.run.trigger, and starts nothing', async () => {
      const before = await runsOf('component:default/payments-api');
      const outcome = await run('otto', 'trigger-and-wait');
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        'Could not start a run of component:default/payments-api on release: Not allowed to pipelines.run.trigger on component:default/payments-api',
      );
      expect(await runsOf('component:default/payments-api')).toEqual(before);
    });

    it('fails clearly for a component the catalog does not have', async () => {
      const outcome = await run('ada', 'trigger-unknown');
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "Could not start a run of component:default/no-such-service on its default branch: no component 'component:default/no-such-service' in the catalog",
      );
    });

    it('runs the pipeline of the component the template rendered when none is named', async () => {
      const outcome = await run('priya', 'trigger-rendered');
      expect(outcome.status).toBe('completed');
      const { runId, status } = outcome.output.result;
      expect(['queued', 'running']).toContain(status);
      const triggered = await api('priya').get(`/pipelines/runs/${runId}`);
      expect(triggered.body).toMatchObject({
        component: 'component:default/payments-api',
        branch: 'main',
      });
    });

    it('fails the step when the run does not finish in time', async () => {
      const outcome = await run('priya', 'trigger-timeout');
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toMatch(
        /Run #\d+ of component:default\/payments-api \([0-9a-f-]+\) is still (queued|running) after 1 s/,
      );
    });

    it('refuses a tag, which is not a branch', async () => {
      const outcome = await run('priya', 'trigger-tag');
      expect(outcome.status).toBe('failed');
      expect(outcome.log).toContain(
        "'refs/tags/v1' is not a branch: a manual run builds the tip (or a commit) of a branch",
      );
    });
  },
);
