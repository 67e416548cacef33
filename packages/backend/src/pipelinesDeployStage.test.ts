/**
 * Deploy stages through a real backend: the pipelines plugin with the local
 * executor (buildah pushing to a real registry on loopback), the real
 * environments backend with `external` environments, the catalog, the
 * permission backend with the platform policy. The external deployer's
 * deployments are completed by reporting their status through the API, as
 * an outside CD system does.
 */
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  addImageFiles,
  bearerFor,
  createPipelineRepository,
  PipelineRepository,
  startRegistry,
  TestRegistry,
  waitForStitchedComponent,
} from '@internal/platform-backend-test-utils';
// The real environments backend in the same test backend: the hand-off is
// tested against the API it calls, not a stand-in.
import environmentsPlugin from '@internal/plugin-environments-backend';
import pipelinesPlugin from '@internal/plugin-pipelines-backend';
import localExecutorModule from '@internal/plugin-pipelines-backend-module-local-executor';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  platformTestConfig,
  startPlatformTestBackend,
} from './__testUtils__/platformTestBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PIPELINE = `
version: 1
stages:
  - name: image
    image:
      tags: ['1.0.\${{ run.number }}']
  - name: deploy
    needs: [image]
    deploy:
      environments: [dev, staging]
`;

describe.each(databases.eachSupportedId())(
  'deploy stages on %s',
  databaseId => {
    let registry: TestRegistry;
    let repo: PipelineRepository;
    let root: string;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let stopBackend: () => Promise<void>;

    beforeAll(async () => {
      registry = await startRegistry();
      repo = await createPipelineRepository();
      await addImageFiles(repo.dir);
      await repo.commit(PIPELINE);
      root = await mkdtemp(join(tmpdir(), 'pipelines-deploy-'));
      const catalogFiles = createMockDirectory({
        content: {
          'catalog.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    backstage.io/source-location: url:${repo.url}
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-admins }
spec: { type: team, children: [] }
`,
        },
      });
      const environment = (name: string, promotionOrder: number) => ({
        name,
        tier: name === 'dev' ? 'development' : 'staging',
        promotionOrder,
        owner: 'group:default/platform-admins',
        target: { type: 'external' },
      });
      const backend = await startPlatformTestBackend({
        databases,
        databaseId,
        features: [
          pipelinesPlugin,
          localExecutorModule,
          environmentsPlugin,
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              // The CD system's token as app-config.yaml configures it; the
              // deploy step names its key. (The test backend's auth does not
              // read it: the reports below are made as a user.)
              backend: {
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: {
                        token: 'test-cd-system-token',
                        subject: 'cd-system',
                      },
                      accessRestrictions: [{ plugin: 'environments' }],
                    },
                  ],
                },
              },
              ...platformTestConfig({
                kinds: ['Component', 'Group'],
                files: [catalogFiles.resolve('catalog.yaml')],
              }),
              environments: {
                initial: [environment('dev', 10), environment('staging', 20)],
              },
              pipelines: {
                images: { registry: { host: registry.host, insecure: true } },
                engine: {
                  executor: 'local',
                  pollInterval: { milliseconds: 100 },
                  deployTimeout: { seconds: 60 },
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
      stopBackend = () => backend.stop();
      await waitForStitchedComponent(server, 'payments-api');
    });

    afterAll(async () => {
      await stopBackend?.();
      await registry?.stop();
      await repo?.remove();
      await rm(root, { recursive: true, force: true });
    });

    const api = (user: string) => ({
      get: (path: string) =>
        request(server)
          .get(`/api${path}`)
          .set('Authorization', bearerFor(user)),
      post: (path: string, body: object = {}) =>
        request(server)
          .post(`/api${path}`)
          .set('Authorization', bearerFor(user))
          .send(body),
      delete: (path: string) =>
        request(server)
          .delete(`/api${path}`)
          .set('Authorization', bearerFor(user)),
    });
    const priya = api('priya'); // an owner of payments-api
    const ada = api('ada'); // a platform admin, owner of the environments

    async function until<T>(what: string, probe: () => Promise<T | undefined>) {
      for (let i = 0; i < 1200; i++) {
        const value = await probe();
        if (value !== undefined) return value;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    }

    async function startRun() {
      const res = await priya.post('/pipelines/runs', {
        component: 'payments-api',
        branch: 'main',
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    function ended(runId: string) {
      return until(`run ${runId} to end`, async () => {
        const res = await priya.get(`/pipelines/runs/${runId}`);
        return ['succeeded', 'failed', 'cancelled'].includes(res.body.status)
          ? res.body
          : undefined;
      });
    }

    /** The deployment the run asked for in an environment, once it exists. */
    function deploymentOf(runId: string, environment: string) {
      return until(`a deployment to ${environment}`, async () => {
        const res = await priya.get(
          `/environments/deployments?component=component:default/payments-api&environment=${environment}&limit=100`,
        );
        return res.body.items.find(
          (d: any) =>
            d.trigger.type === 'pipeline' && d.trigger.pipelineRun === runId,
        );
      });
    }

    async function report(id: string, status: string, message?: string) {
      const res = await priya.post(`/environments/deployments/${id}/status`, {
        status,
        ...(message ? { message } : {}),
      });
      expect(res.status).toBe(200);
    }

    it('deploys the built image to each environment in turn and waits for each deployment to succeed', async () => {
      const runId = await startRun();
      const dev = await deploymentOf(runId, 'dev');
      const run = (await priya.get(`/pipelines/runs/${runId}`)).body;
      const [artifact] = run.artifacts;
      expect(dev).toMatchObject({
        environment: 'dev',
        version: `1.0.${run.number}`,
        artifact: { image: artifact.image, digest: artifact.digest },
        status: 'pending',
        deployer: 'external',
        trigger: {
          type: 'pipeline',
          pipelineRun: runId,
          service: 'plugin:pipelines',
        },
      });
      // Staging waits for dev to end.
      await new Promise(r => setTimeout(r, 500));
      const early = await priya.get(
        '/environments/deployments?component=component:default/payments-api&environment=staging',
      );
      expect(
        early.body.items.filter((d: any) => d.trigger.pipelineRun === runId),
      ).toEqual([]);
      const waiting = (await priya.get(`/pipelines/runs/${runId}`)).body;
      expect(waiting.status).toBe('running');
      // dev is external: the step says it waits for the CD system's report,
      // where that goes and with which token.
      const endpoint = `POST http://[^ ]+/api/environments/deployments/${dev.id}/status`;
      expect(
        waiting.steps.find((s: any) => s.step === 'deploy').waitingFor,
      ).toMatch(
        new RegExp(
          `^a final status report from the external CD system for 'dev' \\(${endpoint}\\) until \\S+Z \\(pipelines\\.engine\\.deployTimeout, 1m\\)$`,
        ),
      );
      const waitLog = await priya.get(
        `/pipelines/runs/${runId}/steps/deploy/logs?limit=100`,
      );
      expect(waitLog.body.items.map((c: any) => c.text).join('')).toMatch(
        new RegExp(
          `Waiting for the external CD system to report the status of deployment ${dev.id} to 'dev': it POSTs to http://[^ ]+/api/environments/deployments/${dev.id}/status with the static token of backend\\.auth\\.externalAccess\\[0\\]\\.options\\.token\\. The stage fails if no final status is reported by \\S+Z \\(pipelines\\.engine\\.deployTimeout, 1m\\)\\.`,
        ),
      );
      await report(dev.id, 'in_progress');
      await report(dev.id, 'succeeded');
      const staging = await deploymentOf(runId, 'staging');
      await report(staging.id, 'succeeded', 'rolled out');

      const done = await ended(runId);
      expect(done.status).toBe('succeeded');
      const step = done.steps.find((s: any) => s.step === 'deploy');
      expect(step).toMatchObject({
        stage: 'deploy',
        status: 'succeeded',
        outputs: { deployment_dev: dev.id, deployment_staging: staging.id },
      });
      expect(step.waitingFor).toBeUndefined();
      const logs = await priya.get(
        `/pipelines/runs/${runId}/steps/deploy/logs?limit=100`,
      );
      const text = logs.body.items.map((c: any) => c.text).join('');
      expect(text).toContain(`Deployment ${dev.id} of 1.0.${run.number}`);
      expect(text).toContain(`Deployment ${dev.id} to 'dev' is succeeded`);
    });

    it("fails the stage with the deployment's message when the deployment fails", async () => {
      const runId = await startRun();
      const dev = await deploymentOf(runId, 'dev');
      await report(dev.id, 'failed', 'rollout stuck: ImagePullBackOff');
      const done = await ended(runId);
      expect(done.status).toBe('failed');
      const step = done.steps.find((s: any) => s.step === 'deploy');
      expect(step.status).toBe('failed');
      expect(step.reason).toBe(
        `Deployment ${dev.id} to 'dev' failed: rollout stuck: ImagePullBackOff`,
      );
      expect(step.outputs).toEqual({ deployment_dev: dev.id });
      expect(done.reason).toContain(`stage 'deploy': ${step.reason}`);
    });

    it("fails the stage with the API's message when the deployment is refused", async () => {
      const lock = await ada.post('/environments/environments/dev/locks', {
        reason: 'release freeze',
      });
      expect(lock.status).toBe(201);
      try {
        const runId = await startRun();
        const done = await ended(runId);
        expect(done.status).toBe('failed');
        const step = done.steps.find((s: any) => s.step === 'deploy');
        expect(step.status).toBe('failed');
        expect(step.reason).toMatch(
          /^The deployment to 'dev' was refused: .*release freeze.*\(409\)$/,
        );
        expect(step.outputs).toEqual({});
      } finally {
        await ada.delete(
          `/environments/environments/dev/locks/${lock.body.id}`,
        );
      }
    });

    it('stops waiting when the run is cancelled, leaving the deployment to the Environments plugin', async () => {
      const runId = await startRun();
      const dev = await deploymentOf(runId, 'dev');
      const cancel = await priya.post(`/pipelines/runs/${runId}/cancel`);
      expect(cancel.status).toBe(200);
      const done = await ended(runId);
      expect(done.status).toBe('cancelled');
      const step = done.steps.find((s: any) => s.step === 'deploy');
      expect(step).toMatchObject({
        status: 'cancelled',
        reason: 'cancelled by user:default/priya',
        outputs: { deployment_dev: dev.id },
      });
      const after = await priya.get(`/environments/deployments/${dev.id}`);
      expect(after.body.status).toBe('pending');
      await report(dev.id, 'failed', 'abandoned');
    });
  },
);
