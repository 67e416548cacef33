import { TestDatabases } from '@backstage/backend-test-utils';
import { EventParams } from '@backstage/plugin-events-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { bearerFor, recordEvents } from '@internal/platform-backend-test-utils';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';

const digest = `sha256:${'ab'.repeat(32)}`;
const deployRequest = {
  component: 'component:default/payments-api',
  environment: 'dev',
  version: '1.4.0',
  artifact: { image: 'registry.local/payments-api:1.4.0', digest },
};

/** The CDEvents types among what was published, signals left out. */
const cdeventTypes = (published: EventParams[]) =>
  published
    .filter(e => e.topic === 'environments')
    .map(e => (e.eventPayload as { context: { type: string } }).context.type);

/** The live-update signals among what was published. */
const signals = (published: EventParams[]) =>
  published
    .filter(e => e.topic === 'signals')
    .map(e => (e.eventPayload as { message: Record<string, string> }).message);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('deployments on %s', databaseId => {
  async function start() {
    const { feature: listener, events: published } = recordEvents([
      'environments',
      'signals',
    ]);
    const { server } = await startEnvironmentsTestBackend({
      databases,
      databaseId,
      // The real notifications backend: approvers and owners are told.
      features: [listener, notificationsPlugin],
      config: { app: { baseUrl: 'http://localhost:3000' } },
      environments: {
        initial: [
          {
            name: 'dev',
            tier: 'development',
            promotionOrder: 10,
            owner: 'group:default/platform-admins',
            target: { type: 'external' },
          },
          {
            name: 'staging',
            tier: 'staging',
            promotionOrder: 20,
            owner: 'group:default/platform-admins',
            target: { type: 'external' },
          },
          {
            name: 'production',
            tier: 'production',
            promotionOrder: 30,
            owner: 'group:default/platform-admins',
            target: { type: 'external' },
            protected: true,
            approvers: [
              'group:default/platform-admins',
              'group:default/team-payments',
            ],
          },
        ],
      },
    });
    const as = (user: string) => ({
      deploy: (body: object) =>
        request(server)
          .post('/api/environments/deployments')
          .set('Authorization', bearerFor(user))
          .send(body),
      report: (id: string, body: object) =>
        request(server)
          .post(`/api/environments/deployments/${id}/status`)
          .set('Authorization', bearerFor(user))
          .send(body),
      lock: (environment: string, body: object) =>
        request(server)
          .post(`/api/environments/environments/${environment}/locks`)
          .set('Authorization', bearerFor(user))
          .send(body),
      unlock: (environment: string, id: string) =>
        request(server)
          .delete(`/api/environments/environments/${environment}/locks/${id}`)
          .set('Authorization', bearerFor(user)),
      locks: () =>
        request(server)
          .get('/api/environments/locks')
          .set('Authorization', bearerFor(user)),
      promote: (body: object) =>
        request(server)
          .post('/api/environments/promotions')
          .set('Authorization', bearerFor(user))
          .send(body),
      approve: (id: string) =>
        request(server)
          .post(`/api/environments/promotions/${id}/approve`)
          .set('Authorization', bearerFor(user)),
      rollback: (body: object) =>
        request(server)
          .post('/api/environments/rollbacks')
          .set('Authorization', bearerFor(user))
          .send(body),
      list: (query: string) =>
        request(server)
          .get(`/api/environments/deployments?${query}`)
          .set('Authorization', bearerFor(user)),
      notifications: () =>
        request(server)
          .get('/api/notifications/notifications')
          .set('Authorization', bearerFor(user)),
      current: (query: string) =>
        request(server)
          .get(`/api/environments/deployments/current?${query}`)
          .set('Authorization', bearerFor(user)),
    });
    return { as, published };
  }

  it('lets the owning team deploy, and records what the CD system reports', async () => {
    const { as, published } = await start();
    const created = await as('priya').deploy(deployRequest);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...deployRequest,
      status: 'pending',
      deployer: 'external',
      trigger: { type: 'user', user: 'user:default/priya' },
    });

    const id = created.body.id;
    expect(
      (await as('priya').report(id, { status: 'in_progress' })).body.status,
    ).toBe('in_progress');
    const done = await as('priya').report(id, {
      status: 'succeeded',
      message: 'synced',
    });
    expect(done.body).toMatchObject({ status: 'succeeded', message: 'synced' });

    const history = await as('otto').list(
      'component=component:default/payments-api',
    );
    expect(history.status).toBe(200);
    expect(history.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect(cdeventTypes(published)).toContain(
      'dev.cdevents.service.deployed.0.2.0',
    );
    const second = await as('priya').deploy({
      ...deployRequest,
      version: '1.5.0',
    });
    await as('priya').report(second.body.id, { status: 'succeeded' });
    expect(cdeventTypes(published)).toContain(
      'dev.cdevents.service.upgraded.0.2.0',
    );

    const matrix = await as('otto').current(
      'component=component:default/payments-api',
    );
    expect(matrix.status).toBe(200);
    expect(matrix.body.items).toEqual([
      expect.objectContaining({
        component: 'component:default/payments-api',
        environment: 'dev',
        latest: expect.objectContaining({ version: '1.5.0' }),
        live: expect.objectContaining({ version: '1.5.0' }),
      }),
    ]);
    const dev = await as('otto').current('environment=dev');
    expect(dev.body.items).toHaveLength(1);
    const unfiltered = await as('otto').current('');
    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.error.message).toMatch(/component or environment/);
  });

  it('refuses a team that does not own the component', async () => {
    const { as } = await start();
    const res = await as('otto').deploy(deployRequest);
    expect(res.status).toBe(403);
    expect((await as('otto').list('environment=dev')).body.items).toEqual([]);
  });

  it('keeps protected environments for promotion, except for admins', async () => {
    const { as } = await start();
    const owner = await as('priya').deploy({
      ...deployRequest,
      environment: 'production',
    });
    expect(owner.status).toBe(403);
    expect(owner.body.error.message).toContain(
      "Environment 'production' is protected",
    );
    expect(
      (await as('ada').deploy({ ...deployRequest, environment: 'production' }))
        .status,
    ).toBe(201);
  });

  it('answers 404 for an unknown environment or component, and stores nothing', async () => {
    const { as } = await start();
    const env = await as('ada').deploy({
      ...deployRequest,
      environment: 'mars',
    });
    expect(env.status).toBe(404);
    expect(env.body.error.message).toBe("No environment named 'mars'");
    const component = await as('ada').deploy({
      ...deployRequest,
      component: 'component:default/nothing',
    });
    expect(component.status).toBe(404);
    expect(component.body.error.message).toBe(
      'No component component:default/nothing in the catalog',
    );
    expect((await as('ada').list('limit=10')).body.items).toEqual([]);
  });

  it.each([
    [{ ...deployRequest, version: 'not a version!' }, 'request/body/version'],
    [
      { ...deployRequest, artifact: { image: 'x', digest: 'md5:1' } },
      'request/body/artifact/digest',
    ],
    [{ ...deployRequest, component: 'payments-api' }, 'request/body/component'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const { as } = await start();
    const res = await as('ada').deploy(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('gives the second of two concurrent deploys a 409', async () => {
    const { as } = await start();
    const [a, b] = await Promise.all([
      as('priya').deploy(deployRequest),
      as('priya').deploy({ ...deployRequest, version: '1.4.1' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await as('priya').list('environment=dev')).body.items).toHaveLength(
      1,
    );
  });

  it('never changes a finished deployment', async () => {
    const { as } = await start();
    const { body } = await as('priya').deploy(deployRequest);
    await as('priya').report(body.id, {
      status: 'failed',
      message: 'crash loop',
    });
    const again = await as('priya').report(body.id, { status: 'succeeded' });
    expect(again.status).toBe(409);
    // The owning team hears of the failure; others do not.
    expect((await as('priya').notifications()).body.notifications).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Deployment of payments-api 1.4.0 to dev failed',
          description: 'crash loop',
          severity: 'high',
        }),
      }),
    ]);
    expect((await as('ada').notifications()).body.notifications).toEqual([]);
  });

  it('deploys nothing into a locked environment until the lock is released', async () => {
    const { as } = await start();
    const outsider = await as('otto').lock('dev', { reason: 'not mine' });
    expect(outsider.status).toBe(403);

    const lock = await as('ada').lock('dev', { reason: 'Database migration' });
    expect(lock.status).toBe(201);
    expect(lock.body).toMatchObject({
      environment: 'dev',
      reason: 'Database migration',
      createdBy: 'user:default/ada',
    });
    expect((await as('priya').locks()).body.items).toHaveLength(1);

    const refused = await as('priya').deploy(deployRequest);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      "Environment 'dev' is locked by user:default/ada: Database migration",
    );
    expect((await as('priya').list('environment=dev')).body.items).toEqual([]);

    expect((await as('ada').unlock('dev', lock.body.id)).status).toBe(204);
    expect((await as('ada').unlock('dev', lock.body.id)).status).toBe(404);
    expect((await as('priya').deploy(deployRequest)).status).toBe(201);
  });

  it('lets a freeze end by itself, and refuses one that already ended', async () => {
    const { as } = await start();
    const past = await as('ada').lock('dev', {
      reason: 'Too late',
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('request/body/expiresAt');

    const short = await as('ada').lock('dev', {
      reason: 'Brief freeze',
      expiresAt: new Date(Date.now() + 1_500).toISOString(),
    });
    expect(short.status).toBe(201);
    expect((await as('priya').deploy(deployRequest)).status).toBe(409);
    await new Promise(resolve => setTimeout(resolve, 1_600));
    expect((await as('priya').deploy(deployRequest)).status).toBe(201);
  });

  async function deployedTo(
    as: Awaited<ReturnType<typeof start>>['as'],
    environment: string,
  ) {
    const { body } = await as('ada').deploy({ ...deployRequest, environment });
    await as('ada').report(body.id, { status: 'succeeded' });
    return body;
  }

  it('promotes a succeeded version to the next environment at once', async () => {
    const { as } = await start();
    await deployedTo(as, 'dev');
    const promoted = await as('priya').promote({
      component: deployRequest.component,
      from: 'dev',
    });
    expect(promoted.status).toBe(201);
    expect(promoted.body).toMatchObject({
      from: 'dev',
      to: 'staging',
      version: '1.4.0',
      status: 'deployed',
      requestedBy: 'user:default/priya',
    });
    const staging = await as('priya').list('environment=staging');
    expect(staging.body.items).toEqual([
      expect.objectContaining({
        id: promoted.body.deploymentId,
        version: '1.4.0',
        artifact: deployRequest.artifact,
      }),
    ]);
  });

  it('promotes only a succeeded deployment, only along the path', async () => {
    const { as } = await start();
    const { body } = await as('priya').deploy(deployRequest);
    const pending = await as('priya').promote({
      component: deployRequest.component,
      from: 'dev',
    });
    expect(pending.status).toBe(409);
    expect(pending.body.error.message).toContain("to 'dev' is pending");
    await as('priya').report(body.id, { status: 'succeeded' });

    const skipping = await as('priya').promote({
      component: deployRequest.component,
      from: 'dev',
      to: 'production',
    });
    expect(skipping.status).toBe(409);
    expect(skipping.body.error.message).toBe(
      "Promotion out of order: after 'dev' comes 'staging', not 'production'",
    );
    const outsider = await as('otto').promote({
      component: deployRequest.component,
      from: 'dev',
    });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe(
      'Not allowed to environments.promotion.create on component:default/payments-api',
    );
  });

  it('waits for an approver before promoting into a protected environment', async () => {
    const { as, published } = await start();
    await deployedTo(as, 'staging');
    const requested = await as('priya').promote({
      component: deployRequest.component,
      from: 'staging',
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      to: 'production',
      status: 'awaiting_approval',
    });
    expect(
      (await as('priya').list('environment=production')).body.items,
    ).toEqual([]);
    const adaInbox = (await as('ada').notifications()).body.notifications;
    expect(adaInbox).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Approve payments-api 1.4.0 into production',
          link: '/catalog/default/component/payments-api/environments',
        }),
      }),
    ]);
    // The requester is not asked to approve their own promotion.
    expect((await as('priya').notifications()).body.notifications).toEqual([]);

    const outsider = await as('otto').approve(requested.body.id);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toContain(
      "approve promotions into 'production'",
    );
    const self = await as('priya').approve(requested.body.id);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain('You requested this promotion');

    const approved = await as('ada').approve(requested.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'deployed',
      approvedBy: 'user:default/ada',
    });
    expect(
      (await as('priya').list('environment=production')).body.items.map(
        (d: { id: string }) => d.id,
      ),
    ).toEqual([approved.body.deploymentId]);
    expect((await as('ada').approve(requested.body.id)).status).toBe(409);
    expect(signals(published)).toEqual(
      expect.arrayContaining([
        {
          kind: 'promotion',
          component: deployRequest.component,
          environment: 'production',
          id: requested.body.id,
          status: 'awaiting_approval',
        },
        expect.objectContaining({ kind: 'promotion', status: 'deployed' }),
        expect.objectContaining({
          kind: 'deployment',
          environment: 'production',
          status: 'pending',
        }),
      ]),
    );
  });

  it('rolls back to the version the current deployment replaced', async () => {
    const { as, published } = await start();
    const first = await deployedTo(as, 'dev');
    const broken = await as('priya').deploy({
      ...deployRequest,
      version: '1.5.0',
    });
    await as('priya').report(broken.body.id, { status: 'succeeded' });

    const target = { component: deployRequest.component, environment: 'dev' };
    expect((await as('otto').rollback(target)).status).toBe(403);
    const rollback = await as('priya').rollback(target);
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({
      version: '1.4.0',
      artifact: first.artifact,
      rollbackOf: broken.body.id,
      status: 'pending',
    });
    await as('priya').report(rollback.body.id, { status: 'succeeded' });

    const history = (await as('priya').list('environment=dev')).body.items;
    expect(
      history.map((d: { version: string; status: string }) => [
        d.version,
        d.status,
      ]),
    ).toEqual([
      ['1.4.0', 'succeeded'],
      ['1.5.0', 'rolled_back'],
      ['1.4.0', 'succeeded'],
    ]);
    expect(cdeventTypes(published)).toContain(
      'dev.cdevents.service.rolledback.0.2.0',
    );
  });

  it('has nothing to roll back to before a second deployment', async () => {
    const { as } = await start();
    await deployedTo(as, 'dev');
    const res = await as('priya').rollback({
      component: deployRequest.component,
      environment: 'dev',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Nothing to roll back to');
  });
});
