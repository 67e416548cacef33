import {
  BackstageCredentials,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  authServiceWithActors,
  createPipelineRepository,
  databasePerPlugin,
  PipelineRepository,
  testMemberships,
  userInfoWithMemberships,
  waitForStitchedComponent,
} from '@internal/platform-backend-test-utils';
import platformPolicy from '@internal/plugin-permission-backend-module-platform-policy';
import localExecutorModule from '@internal/plugin-pipelines-backend-module-local-executor';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPipelinesConfig } from '../__testUtils__/localPipelinesConfig';
import { pipelinesPlugin } from '../plugin';

// The actions as an agent reaches them: through the actions service, which
// calls the pipelines plugin's actions registry over HTTP on behalf of the
// user, as the MCP actions backend does; against the real router with the
// local executor running pipelines from a git repository in a temporary
// folder, the permission backend with the platform policy, and the catalog.
// The actions go through the HTTP API and never touch the store, so SQLite
// is enough here; the routes' own tests cover PostgreSQL.

const PIPELINE = `
version: 1
stages:
  - name: build
    steps:
      - name: hello
        run: echo "hello from $PIPELINE_COMPONENT"
      - name: count
        needs: [hello]
        run: seq 1 500
`;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(120_000);

describe.each(databases.eachSupportedId())(
  'pipelines actions on %s',
  databaseId => {
    let started: Awaited<ReturnType<typeof start>>;
    let repo: PipelineRepository;
    let root: string;
    beforeAll(async () => {
      repo = await createPipelineRepository();
      await repo.commit(PIPELINE);
      root = await mkdtemp(join(tmpdir(), 'pipelines-actions-'));
      started = await start();
    });
    afterAll(async () => {
      await started?.backend.stop();
      await repo?.remove();
      if (root) await rm(root, { recursive: true, force: true });
    });

    async function start() {
      let actions: ActionsService | undefined;
      let events: EventsService | undefined;
      // Stands in for the MCP actions backend: a plugin holding the actions
      // service (and the events service, to play a webhook).
      const agent = createBackendPlugin({
        pluginId: 'agent',
        register(reg) {
          reg.registerInit({
            deps: { actionsService: actionsServiceRef, e: eventsServiceRef },
            async init({ actionsService, e }) {
              actions = actionsService;
              events = e;
            },
          });
        },
      });
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
  name: orders
  annotations:
    backstage.io/source-location: url:https://git.example.test/acme/orders/tree/trunk/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations:
    backstage.io/source-location: url:https://git.example.test/acme/ledger/
spec: { type: service, lifecycle: production, owner: group:default/team-payments }
`,
        },
      });
      const backend = await startTestBackend({
        features: [
          pipelinesPlugin,
          localExecutorModule,
          agent,
          permissionPlugin,
          platformPolicy,
          eventsServiceFactory,
          catalogPlugin,
          userInfoWithMemberships(testMemberships),
          authServiceWithActors,
          databasePerPlugin(databases, databaseId),
          mockServices.rootConfig.factory({
            data: {
              backend: { actions: { pluginSources: ['pipelines'] } },
              catalog: {
                rules: [{ allow: ['Component'] }],
                locations: [
                  {
                    type: 'file',
                    target: catalogFiles.resolve('catalog.yaml'),
                  },
                ],
              },
              permission: { enabled: true },
              events: { useEventBus: 'never' },
              pipelines: localPipelinesConfig({
                root,
                rewrite: {
                  from: 'https://git.example.test/acme/orders',
                  to: repo.url,
                },
              }),
            },
          }),
        ],
      });
      const { server } = backend;
      await waitForStitchedComponent(server, 'payments-api');
      const as = (user: string) => {
        const credentials: BackstageCredentials = mockCredentials.user(
          `user:default/${user}`,
        );
        return {
          invoke: async (name: string, input: JsonObject) =>
            (
              await actions!.invoke({
                id: `pipelines:${name}`,
                input,
                credentials,
              })
            ).output as any,
          fails: (name: string, input: JsonObject) =>
            actions!
              .invoke({ id: `pipelines:${name}`, input, credentials })
              .then(
                () => {
                  throw new Error(`${name} succeeded`);
                },
                error => error,
              ),
        };
      };
      return { backend, actions: actions!, events: events!, as };
    }

    /** Reads a run through the action until it has this status. */
    async function waitForRun(id: string, status: string) {
      for (let i = 0; i < 300; i++) {
        const { run } = await started
          .as('otto')
          .invoke('get-pipeline-run', { id });
        if (run.status === status) return run;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`run ${id} did not become ${status}`);
    }

    const runsOfPayments = async () =>
      (
        await started.as('ada').invoke('list-pipeline-runs', {
          component: 'payments-api',
          limit: 100,
        })
      ).runs;

    it('offers the actions with honest attributes', async () => {
      const { actions } = started;
      const { actions: listed } = await actions.list({
        credentials: mockCredentials.user('user:default/otto'),
      });
      const attributes = Object.fromEntries(
        listed.map(a => [a.name, a.attributes]),
      );
      const reading = { readOnly: true, destructive: false, idempotent: true };
      expect(attributes).toEqual({
        'list-pipeline-runs': reading,
        'get-pipeline-run': reading,
        'get-pipeline-step-logs': reading,
        'trigger-pipeline-run': {
          readOnly: false,
          destructive: false,
          idempotent: false,
        },
        'list-webhook-deliveries': reading,
      });
      for (const action of listed) {
        expect(action.description.length).toBeGreaterThan(80);
      }
    });

    let runId: string;

    it('triggers a run for the owning team, as that user, and follows it to its steps', async () => {
      const { as } = started;
      const { run } = await as('priya').invoke('trigger-pipeline-run', {
        component: 'payments-api',
        ref: 'refs/heads/main',
      });
      expect(run).toMatchObject({
        component: 'component:default/payments-api',
        number: 1,
        status: 'queued',
        branch: 'main',
        trigger: { type: 'manual', requestedBy: 'user:default/priya' },
      });
      runId = run.id;
      const finished = await waitForRun(run.id, 'succeeded');
      expect(
        finished.steps.map((s: any) => [s.stage, s.step, s.status]),
      ).toEqual([
        ['.checkout', '.checkout', 'succeeded'],
        ['build', 'hello', 'succeeded'],
        ['build', 'count', 'succeeded'],
      ]);
      expect(finished.artifacts).toEqual([]);
      expect(finished.commit).toMatch(/^[0-9a-f]{40}$/);
    });

    it("builds the component's default branch when no ref is given", async () => {
      const trunk = await repo.commit(PIPELINE, 'trunk');
      const { run } = await started
        .as('priya')
        .invoke('trigger-pipeline-run', { component: 'orders' });
      // The branch its source location points into, not a fixed main.
      expect(run).toMatchObject({
        component: 'component:default/orders',
        branch: 'trunk',
        ref: 'refs/heads/trunk',
        trigger: { type: 'manual', branch: 'trunk' },
      });
      expect(await waitForRun(run.id, 'succeeded')).toMatchObject({
        commit: trunk,
      });
    });

    it('lists runs with the filters of the runs API', async () => {
      const { as } = started;
      const listed = async (input: JsonObject) =>
        (await as('otto').invoke('list-pipeline-runs', input)).runs.map(
          (r: any) => r.id,
        );
      expect(await listed({ component: 'payments-api' })).toEqual([runId]);
      expect(
        await listed({
          component: 'component:default/payments-api',
          status: 'succeeded',
          branch: 'main',
        }),
      ).toEqual([runId]);
      expect(await listed({ status: 'failed' })).toEqual([]);
      expect(await listed({ branch: 'develop' })).toEqual([]);
      // A list item carries no steps; get-pipeline-run does.
      const [item] = (await as('otto').invoke('list-pipeline-runs', {})).runs;
      expect(item.steps).toBeUndefined();
    });

    it("reads the tail of a step's log for an owner", async () => {
      const { as } = started;
      const tail = await as('priya').invoke('get-pipeline-step-logs', {
        runId,
        step: 'count',
        tailLines: 3,
      });
      expect(tail).toEqual({
        text: '498\n499\n500',
        lines: 3,
        totalLines: 500,
        complete: true,
      });
      const hello = await as('priya').invoke('get-pipeline-step-logs', {
        runId,
        step: 'hello',
      });
      expect(hello.text).toBe('hello from component:default/payments-api');
    });

    it('keeps logs from someone who does not own the component, as the route does', async () => {
      const error = await started
        .as('otto')
        .fails('get-pipeline-step-logs', { runId, step: 'count' });
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'Not allowed to pipelines.logs.read on component:default/payments-api',
      );
    });

    it('refuses a trigger by a team that does not own the component, and starts nothing', async () => {
      const before = await runsOfPayments();
      const error = await started
        .as('otto')
        .fails('trigger-pipeline-run', { component: 'payments-api' });
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'Not allowed to pipelines.run.trigger on component:default/payments-api',
      );
      expect(await runsOfPayments()).toEqual(before);
    });

    it('refuses a trigger on behalf of a service', async () => {
      const error = await started.actions
        .invoke({
          id: 'pipelines:trigger-pipeline-run',
          input: { component: 'payments-api' },
          credentials: mockCredentials.service('plugin:scaffolder'),
        })
        .catch(e => e);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toContain('acts for a signed-in user');
    });

    it.each([
      [
        'an unknown component',
        'trigger-pipeline-run',
        { component: 'no-such-service' },
        404,
        "no component 'component:default/no-such-service' in the catalog",
        // An admin: the owner check refuses anyone else before the lookup.
        'ada',
      ],
      [
        'no ref for a component whose default branch is not known',
        'trigger-pipeline-run',
        { component: 'ledger' },
        400,
        "the default branch of component 'component:default/ledger' is not known",
      ],
      [
        'a tag as the ref',
        'trigger-pipeline-run',
        { component: 'payments-api', ref: 'refs/tags/v1' },
        400,
        "'refs/tags/v1' is not a branch",
      ],
      [
        'a group as the component',
        'list-pipeline-runs',
        { component: 'group:default/team-payments' },
        400,
        "component must refer to a Component, got 'group:default/team-payments' of kind group",
      ],
      [
        'a run id that is not one',
        'get-pipeline-run',
        { id: 'latest' },
        400,
        'Invalid input to action "pipelines:get-pipeline-run"',
      ],
      [
        'an unknown step',
        'get-pipeline-step-logs',
        { runId: '00000000-0000-4000-8000-000000000000', step: 'build' },
        404,
        '00000000-0000-4000-8000-000000000000',
      ],
    ])(
      'answers %s with a 4xx that says why',
      async (_what, name, input, status, message, user = 'priya') => {
        const before = await runsOfPayments();
        const error = await started.as(user).fails(name, input as JsonObject);
        expect(error.statusCode).toBe(status);
        expect(error.cause.message).toContain(message);
        expect(await runsOfPayments()).toEqual(before);
      },
    );

    it('lists the webhook deliveries that came in, with their filters', async () => {
      const { as, events } = started;
      const commit = await repo.commit(PIPELINE);
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
          'x-github-delivery': 'push-1',
        },
      });
      const { deliveries } = await as('otto').invoke(
        'list-webhook-deliveries',
        { component: 'payments-api' },
      );
      expect(deliveries).toEqual([
        expect.objectContaining({
          provider: 'github',
          deliveryId: 'push-1',
          event: 'push',
          status: 'matched',
          repository: expect.objectContaining({ slug: 'acme/payments-api' }),
          ref: 'refs/heads/main',
          commit,
          components: ['component:default/payments-api'],
          trigger: expect.objectContaining({ type: 'push', branch: 'main' }),
        }),
      ]);
      expect(
        (
          await as('otto').invoke('list-webhook-deliveries', {
            status: 'ignored',
          })
        ).deliveries,
      ).toEqual([]);
      expect(
        (
          await as('otto').invoke('list-webhook-deliveries', {
            repository: 'acme/payments-api',
            limit: 1,
          })
        ).deliveries.map((d: any) => d.deliveryId),
      ).toEqual(['push-1']);
    });
  },
);
