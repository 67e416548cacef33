import { TestDatabases } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { bearerFor, recordEvents } from '@internal/platform-backend-test-utils';
import { deployerExtensionPoint } from '@internal/plugin-environments-node';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';
import { PREVIEW_TTL_TASK_ID } from './previewTeardownTask';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
// Each test starts a backend with the catalog, which takes a few seconds on
// a busy machine.
jest.setTimeout(30_000);
const hour = 3_600_000;

type Task = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/** A scheduler that records the tasks and runs them only when a test does. */
function recordingScheduler() {
  const tasks = new Map<string, Task>();
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: (): SchedulerService => ({
      async scheduleTask(task) {
        tasks.set(task.id, task);
      },
      createScheduledTaskRunner(schedule) {
        return {
          run: async task => {
            tasks.set(task.id, { ...schedule, ...task });
          },
        };
      },
      async triggerTask() {},
      async cancelTask() {},
      async getScheduledTasks() {
        return [];
      },
    }),
  });
  return { factory, tasks };
}

/** The external deployer, whose removals are recorded and can be made to fail. */
function removingDeployer() {
  const removed: string[] = [];
  const failure = { error: undefined as Error | undefined };
  const module = createBackendModule({
    pluginId: 'environments',
    moduleId: 'removing-deployer',
    register(reg) {
      reg.registerInit({
        deps: { deployers: deployerExtensionPoint },
        async init({ deployers }) {
          deployers.addDeployer({
            targetType: 'external',
            async deploy() {},
            async remove({ component, environment }) {
              if (failure.error) throw failure.error;
              removed.push(`${component}@${environment.name}`);
            },
          });
        },
      });
    },
  });
  return { module, removed, failure };
}

describe.each(databases.eachSupportedId())('previews on %s', databaseId => {
  afterEach(() => jest.useRealTimers());

  async function start() {
    const { feature: listener, events: published } = recordEvents([
      'environments',
    ]);
    const scheduler = recordingScheduler();
    const deployer = removingDeployer();
    const { server } = await startEnvironmentsTestBackend({
      databases,
      databaseId,
      features: [deployer.module, listener, scheduler.factory],
      environments: {
        previews: {
          target: { type: 'external' },
          defaultTtl: { hours: 72 },
          maxTtl: 'P7D',
          promotionOrder: 5,
          teardownFrequency: { minutes: 5 },
        },
        initial: [
          {
            name: 'dev',
            tier: 'development',
            promotionOrder: 10,
            owner: 'group:default/team-payments',
            target: { type: 'external' },
          },
        ],
      },
    });
    const as = (user: string) => ({
      create: (body: object) =>
        request(server)
          .post('/api/environments/previews')
          .set('Authorization', bearerFor(user))
          .send(body),
      tearDown: (name: string) =>
        request(server)
          .delete(`/api/environments/previews/${name}`)
          .set('Authorization', bearerFor(user)),
      get: (name: string) =>
        request(server)
          .get(`/api/environments/environments/${name}`)
          .set('Authorization', bearerFor(user)),
      deploy: (environment: string) =>
        request(server)
          .post('/api/environments/deployments')
          .set('Authorization', bearerFor(user))
          .send({
            component: 'component:default/payments-api',
            environment,
            version: '1.0.0',
            artifact: {
              image: 'registry.local/payments-api:1.0.0',
              digest: `sha256:${'ab'.repeat(32)}`,
            },
          }),
    });
    const types = () =>
      published.map(e => (e.eventPayload as any).context.type);
    return { as, types, tasks: scheduler.tasks, deployer };
  }
  const body = {
    component: 'component:default/payments-api',
    pullRequest: { number: 42, branch: 'feature/cart' },
  };

  it('creates a preview for the owning team, and returns it again for the same pull request', async () => {
    const { as, types } = await start();
    const created = await as('priya').create(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'payments-api-pr-42',
      tier: 'preview',
      owner: 'group:default/team-payments',
      preview: {
        component: body.component,
        pullRequest: body.pullRequest,
      },
    });
    const expiresAt = Date.parse(created.body.preview.expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(71 * hour);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(72 * hour);

    const again = await as('priya').create({ ...body, ttl: 'P5D' });
    expect(again.status).toBe(200);
    expect(again.body.name).toBe('payments-api-pr-42');
    expect(Date.parse(again.body.preview.expiresAt)).toBeGreaterThan(expiresAt);
    expect(types()).toEqual(['dev.cdevents.environment.created.0.2.0']);

    expect((await as('otto').create(body)).status).toBe(403);
  });

  it.each([
    ['no pull request', { component: body.component }, 'pullRequest'],
    [
      'a pull request number of 0',
      { ...body, pullRequest: { number: 0 } },
      'request/body/pullRequest/number',
    ],
    [
      'a TTL that is not ISO 8601',
      { ...body, ttl: '3 days' },
      'request/body/ttl',
    ],
    ['an empty ISO duration', { ...body, ttl: 'P' }, 'request/body/ttl'],
    ['a TTL over the maximum', { ...body, ttl: 'P8D' }, 'request/body/ttl'],
    ['an unknown field', { ...body, colour: 'blue' }, "unknown field 'colour'"],
  ])('refuses %s with a 400 naming it', async (_label, bad, field) => {
    const { as } = await start();
    const res = await as('priya').create(bad);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect((await as('priya').get('payments-api-pr-42')).status).toBe(404);
  });

  it('extends a preview when something is deployed into it', async () => {
    const { as } = await start();
    const created = await as('priya').create({ ...body, ttl: 'PT1H' });
    expect(created.status).toBe(201);
    expect((await as('priya').deploy('payments-api-pr-42')).status).toBe(201);
    const after = await as('priya').get('payments-api-pr-42');
    expect(
      Date.parse(after.body.preview.expiresAt) - Date.now(),
    ).toBeGreaterThan(71 * hour);
  });

  it('tears a preview down on request of its owners: removes, announces, deletes', async () => {
    const { as, types, deployer } = await start();
    await as('priya').create(body).expect(201);
    await as('priya').deploy('payments-api-pr-42').expect(201);
    expect((await as('otto').tearDown('payments-api-pr-42')).status).toBe(403);
    expect((await as('priya').tearDown('dev')).status).toBe(409);
    expect((await as('priya').tearDown('payments-api-pr-42')).status).toBe(204);
    expect(deployer.removed).toEqual([
      'component:default/payments-api@payments-api-pr-42',
    ]);
    expect((await as('priya').get('payments-api-pr-42')).status).toBe(404);
    expect(types()).toEqual([
      'dev.cdevents.environment.created.0.2.0',
      'dev.cdevents.service.removed.0.2.0',
      'dev.cdevents.environment.deleted.0.2.0',
    ]);
  });

  it('keeps a preview whose tear-down failed, marked, and refuses deployments into it', async () => {
    const { as, deployer } = await start();
    await as('priya').create(body).expect(201);
    await as('priya').deploy('payments-api-pr-42').expect(201);
    deployer.failure.error = new Error('cluster unreachable');
    const res = await as('priya').tearDown('payments-api-pr-42');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      "Tearing down preview environment 'payments-api-pr-42' failed: Error: cluster unreachable. It stays, marked, and is retried",
    );
    const marked = await as('priya').get('payments-api-pr-42');
    expect(marked.body.preview.teardown).toMatchObject({
      attempts: 1,
      removed: [],
      lastError: 'Error: cluster unreachable',
      requestedBy: 'user:default/priya',
    });
    const deploy = await as('priya').deploy('payments-api-pr-42');
    expect(deploy.status).toBe(409);
    expect(deploy.body.error.message).toBe(
      "Preview environment 'payments-api-pr-42' is being torn down",
    );
    expect((await as('priya').create(body)).status).toBe(409);
  });

  it('tears down expired previews from the scheduled task, on one replica at a time', async () => {
    const { as, tasks, types } = await start();
    const task = tasks.get(PREVIEW_TTL_TASK_ID)!;
    expect(task).toMatchObject({ scope: 'global', frequency: { minutes: 5 } });
    await as('priya').create(body).expect(201);

    await task.fn(new AbortController().signal);
    expect((await as('priya').get('payments-api-pr-42')).status).toBe(200);

    // Three days on: only Date moves; timers stay real for the database.
    jest.useFakeTimers({
      now: Date.now() + 73 * hour,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    await task.fn(new AbortController().signal);
    jest.useRealTimers();
    expect((await as('priya').get('payments-api-pr-42')).status).toBe(404);
    expect(types()).toEqual([
      'dev.cdevents.environment.created.0.2.0',
      'dev.cdevents.environment.deleted.0.2.0',
    ]);
  });
});
