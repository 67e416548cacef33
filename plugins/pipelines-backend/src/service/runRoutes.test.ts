/**
 * The run API through a real backend: the pipelines plugin with the local
 * executor module, the real catalog, the permission backend with the
 * platform policy, the events service; pipelines from git repositories in
 * temporary folders.
 */
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  authServiceWithActors,
  bearerFor,
  createPipelineRepository,
  databasePerPlugin,
  PipelineRepository,
  recordEvents,
  testMemberships,
  userInfoWithMemberships,
  waitForStitchedComponent,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import localExecutorModule from '@internal/plugin-pipelines-backend-module-local-executor';
import { PipelinesClient } from '@internal/plugin-pipelines-common';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { localPipelinesConfig } from '../__testUtils__/localPipelinesConfig';
import { pipelinesPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const PIPELINE = `
version: 1
stages:
  - name: build
    steps:
      - name: hello
        run: echo "hello from $PIPELINE_COMPONENT"; echo "on $(cat COUNT)"
      - name: maybe-slow
        needs: [hello]
        run: if [ -f SLOW ]; then sleep 30; fi
`;

describe.each(databases.eachSupportedId())('runs API on %s', databaseId => {
  let repo: PipelineRepository;
  let firstCommit: string;
  let root: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  let events: EventsService;
  const recorded = recordEvents(['pipelines']);
  const auditor = mockServices.auditor.mock();

  beforeAll(async () => {
    repo = await createPipelineRepository();
    root = await mkdtemp(join(tmpdir(), 'pipelines-routes-'));
    firstCommit = await repo.commit(PIPELINE);
    const catalogFiles = createMockDirectory({
      content: {
        'catalog.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations:
    github.com/project-slug: acme/payments-api
    backstage.io/source-location: url:${repo.url}
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: storefront
  annotations:
    backstage.io/source-location: url:https://git.example.test/acme/storefront/tree/trunk/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations:
    backstage.io/source-location: url:https://git.example.test/acme/ledger/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-payments }
spec: { type: team, children: [] }
`,
      },
    });
    auditor.createEvent.mockImplementation(async () => ({
      success: jest.fn(),
      fail: jest.fn(),
    }));
    const grabEvents = createBackendPlugin({
      pluginId: 'grab-events',
      register(env) {
        env.registerInit({
          deps: { e: eventsServiceRef },
          async init({ e }) {
            events = e;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        pipelinesPlugin,
        localExecutorModule,
        catalogPlugin,
        permissionPlugin,
        platformPolicy,
        eventsServiceFactory,
        recorded.feature,
        grabEvents,
        userInfoWithMemberships(testMemberships),
        authServiceWithActors,
        auditor.factory,
        databasePerPlugin(databases, databaseId),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            events: { useEventBus: 'never' },
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              locations: [
                { type: 'file', target: catalogFiles.resolve('catalog.yaml') },
              ],
            },
            pipelines: localPipelinesConfig({
              root,
              rewrite: {
                from: 'https://git.example.test/acme/storefront',
                to: repo.url,
              },
            }),
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
    await repo?.remove();
    await rm(root, { recursive: true, force: true });
  });

  const as = (user: string) => ({
    get: (path: string) =>
      request(server)
        .get(`/api/pipelines${path}`)
        .set('Authorization', bearerFor(user)),
    post: (path: string, body: object = {}) =>
      request(server)
        .post(`/api/pipelines${path}`)
        .set('Authorization', bearerFor(user))
        .send(body),
  });
  const priya = as('priya'); // an owner of payments-api
  const otto = as('otto'); // not one

  async function waitForRun(id: string, status: string) {
    let last: any;
    for (let i = 0; i < 300; i++) {
      last = (await priya.get(`/runs/${id}`)).body;
      if (last.status === status) return last;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(
      `run ${id} did not become ${status}: it is ${last?.status} (${
        last?.reason ?? 'no reason'
      })`,
    );
  }

  it('runs a pipeline triggered by hand, and serves its steps and logs', async () => {
    const res = await priya.post('/runs', {
      component: 'payments-api',
      branch: 'main',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      component: 'component:default/payments-api',
      number: 1,
      status: 'queued',
      branch: 'main',
      trigger: { type: 'manual', requestedBy: 'user:default/priya' },
    });
    expect(res.body.commit).toBeUndefined();
    const run = await waitForRun(res.body.id, 'succeeded');
    // The branch's tip at checkout is recorded: what was built, and what a
    // re-run builds again.
    expect(run.commit).toBe(firstCommit);
    expect(run.stages).toEqual([
      {
        name: 'build',
        type: 'steps',
        needs: [],
        steps: [
          { name: 'hello', needs: [] },
          { name: 'maybe-slow', needs: ['hello'] },
        ],
      },
    ]);
    expect(run.steps.map((s: any) => [s.step, s.status])).toEqual([
      ['.checkout', 'succeeded'],
      ['hello', 'succeeded'],
      ['maybe-slow', 'succeeded'],
    ]);
    const logs = await priya.get(`/runs/${run.id}/steps/hello/logs`);
    expect(logs.status).toBe(200);
    expect(logs.body.complete).toBe(true);
    expect(logs.body.items.map((c: any) => c.text).join('')).toBe(
      'hello from component:default/payments-api\non 1\n',
    );
    const rest = await priya.get(
      `/runs/${run.id}/steps/hello/logs?after=${logs.body.items[0].seq}`,
    );
    expect(rest.body.items).toHaveLength(logs.body.items.length - 1);

    // Everyone signed in reads runs; only owners read logs and trigger.
    expect((await otto.get(`/runs/${run.id}`)).status).toBe(200);
    const listed = await otto.get(
      '/runs?component=payments-api&status=succeeded',
    );
    expect(listed.body.items.map((r: any) => r.id)).toContain(run.id);
    expect((await otto.get(`/runs/${run.id}/steps/hello/logs`)).status).toBe(
      403,
    );
    const denied = await otto.post('/runs', {
      component: 'payments-api',
      branch: 'main',
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to pipelines.run.trigger on component:default/payments-api',
    );
    expect((await otto.post(`/runs/${run.id}/rerun`, {})).status).toBe(403);

    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'pipeline-run-trigger',
        meta: { component: 'component:default/payments-api', branch: 'main' },
      }),
    );
    const types = recorded.events
      .filter(e => (e.eventPayload as any).subject.id.startsWith(run.id))
      .map(e => (e.eventPayload as any).context.type);
    expect(types[0]).toBe('dev.cdevents.pipelinerun.queued.0.2.0');
    expect(types).toContain('dev.cdevents.taskrun.finished.0.2.0');
    expect(types.at(-1)).toBe('dev.cdevents.pipelinerun.finished.0.2.0');

    // A whole re-run is the next attempt of the same run.
    const again = await priya.post(`/runs/${run.id}/rerun`, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'queued', attempt: 2 });
    await waitForRun(run.id, 'succeeded');
  });

  it('cancels a running run', async () => {
    const commit = await repo.commit(PIPELINE, 'slow');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(repo.dir, 'SLOW'), '');
    const slow = await repo.commit(PIPELINE, 'slow');
    expect(slow).not.toBe(commit);
    const res = await priya.post('/runs', {
      component: 'component:default/payments-api',
      branch: 'slow',
    });
    await waitForRun(res.body.id, 'running');
    expect((await otto.post(`/runs/${res.body.id}/cancel`)).status).toBe(403);
    expect(
      (await priya.post(`/runs/${res.body.id}/rerun`, { failedOnly: true }))
        .status,
    ).toBe(409);
    const cancel = await priya.post(`/runs/${res.body.id}/cancel`);
    expect(cancel.status).toBe(200);
    const run = await waitForRun(res.body.id, 'cancelled');
    expect(run.reason).toBe('cancelled by user:default/priya');
  });

  it('queues a run for a push delivered through the events service', async () => {
    const commit = await repo.commit(PIPELINE, 'main');
    await events.publish({
      topic: 'github',
      eventPayload: {
        ref: 'refs/heads/main',
        after: commit,
        repository: {
          full_name: 'acme/payments-api',
          html_url: repo.url,
          default_branch: 'main',
        },
        sender: { login: 'priya' },
      },
      metadata: {
        'x-github-event': 'push',
        'x-github-delivery': `push-${databaseId}`,
      },
    });
    let found: any;
    for (let i = 0; i < 100 && !found; i++) {
      const list = await priya.get('/runs?branch=main&limit=100');
      found = list.body.items.find((r: any) => r.commit === commit);
      if (!found) await new Promise(r => setTimeout(r, 100));
    }
    expect(found).toMatchObject({
      trigger: { type: 'push', branch: 'main', deliveryId: expect.any(Number) },
    });
    await waitForRun(found.id, 'succeeded');
  });

  it('builds the default branch when no branch is given', async () => {
    // From the branch the source location points into.
    const trunk = await repo.commit(PIPELINE, 'trunk');
    const fromCatalog = await priya.post('/runs', { component: 'storefront' });
    expect(fromCatalog.status).toBe(201);
    expect(fromCatalog.body).toMatchObject({
      component: 'component:default/storefront',
      branch: 'trunk',
      ref: 'refs/heads/trunk',
      trigger: { type: 'manual', branch: 'trunk' },
    });
    expect(await waitForRun(fromCatalog.body.id, 'succeeded')).toMatchObject({
      commit: trunk,
    });
    // From the default branch the component's latest webhook named (main,
    // by the push above); its source location names no branch.
    const fromWebhook = await priya.post('/runs', {
      component: 'payments-api',
    });
    expect(fromWebhook.status).toBe(201);
    expect(fromWebhook.body).toMatchObject({
      branch: 'main',
      ref: 'refs/heads/main',
    });
    await waitForRun(fromWebhook.body.id, 'succeeded');
    // Known from neither: the caller must say which branch.
    const unknown = await priya.post('/runs', { component: 'ledger' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^no branch given and the default branch of component 'component:default\/ledger' is not known .*: give branch$/,
      ),
    });
    expect((await priya.get('/runs?component=ledger')).body.items).toEqual([]);
  });

  it('is called by PipelinesClient', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new PipelinesClient({
      discoveryApi: {
        getBaseUrl: async pluginId =>
          `http://127.0.0.1:${port}/api/${pluginId}`,
      },
    });
    const options = { token: mockCredentials.user.token('user:default/priya') };
    const queued = await client.triggerRun(
      { component: 'payments-api', branch: 'main' },
      options,
    );
    expect(queued.status).toBe('queued');
    await waitForRun(queued.id, 'succeeded');
    const run = await client.getRun(queued.id, options);
    expect(run.steps?.map(s => s.step)).toEqual([
      '.checkout',
      'hello',
      'maybe-slow',
    ]);
    // A pipeline without an image stage produces nothing.
    expect(run.artifacts).toEqual([]);
    // How the output is cut into chunks depends on the pipe's timing, so
    // compare the page after the first chunk with the whole log.
    const all = await client.getStepLogs(
      { runId: run.id, step: 'hello', after: 0 },
      options,
    );
    expect(all.complete).toBe(true);
    expect(all.items.length).toBeGreaterThan(0);
    const logs = await client.getStepLogs(
      { runId: run.id, step: 'hello', after: all.items[0].seq },
      options,
    );
    expect(logs).toEqual({ items: all.items.slice(1), complete: true });
    const listed = await client.listRuns(
      { component: 'component:default/payments-api', limit: 1 },
      options,
    );
    expect(listed.items.map(r => r.id)).toEqual([run.id]);
    await expect(
      client.rerunRun(run.id, { failedOnly: true }, options),
    ).resolves.toMatchObject({ attempt: 2 });
    await expect(client.cancelRun(run.id, options)).resolves.toBeDefined();
    await expect(
      client.cancelRun(run.id, {
        token: mockCredentials.user.token('user:default/otto'),
      }),
    ).rejects.toMatchObject({ response: { status: 403 } });
  });

  it('answers 400 naming the field, 401 without a token and 404 for no run', async () => {
    const badBranch = await priya.post('/runs', {
      component: 'payments-api',
      branch: '',
    });
    expect(badBranch.status).toBe(400);
    expect(badBranch.body.error.message).toMatch(/branch/);
    // Worded as in every platform API: the unknown field, and the known ones.
    const unknownField = await priya.post('/runs', {
      component: 'payments-api',
      branch: 'main',
      colour: 'blue',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toBe(
      "request/body has unknown field 'colour'; known fields are component, branch, commit",
    );
    expect((await priya.get('/runs/not-a-uuid')).status).toBe(400);
    expect(
      (await priya.get('/runs/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    const none = await request(server)
      .get('/api/pipelines/runs')
      .set('Authorization', mockCredentials.none.header());
    expect(none.status).toBe(401);
    const unknown = await priya.post('/runs', {
      component: 'nowhere',
      branch: 'main',
    });
    expect(unknown.status).toBe(403); // not an owner of what does not exist
  });
});
