import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { bearerFor, recordEvents } from '@internal/platform-backend-test-utils';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';

const staging = {
  name: 'staging',
  title: 'Staging',
  tier: 'staging',
  promotionOrder: 20,
  owner: 'group:default/team-payments',
  target: {
    type: 'kubernetes',
    cluster: 'eu-1',
    namespacePattern: '{component}-staging',
  },
};

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'environments API on %s',
  databaseId => {
    async function startEnvironments() {
      const { feature: listener, events: published } = recordEvents([
        'environments',
      ]);
      const auditor = mockServices.auditor.mock();
      const auditEvent = { success: jest.fn(), fail: jest.fn() };
      auditor.createEvent.mockResolvedValue(auditEvent);
      const { server } = await startEnvironmentsTestBackend({
        databases,
        databaseId,
        auditor,
        features: [listener],
      });
      return { server, published, auditor, auditEvent };
    }

    it('lets an admin create an environment, announces it and audits it', async () => {
      const { server, published, auditor, auditEvent } =
        await startEnvironments();
      const res = await request(server)
        .post('/api/environments/environments')
        .set('Authorization', bearerFor('ada'))
        .send(staging);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        ...staging,
        protected: false,
        createdBy: 'user:default/ada',
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'environment-created' }),
      );
      expect(auditEvent.success).toHaveBeenCalled();
      expect(published).toEqual([
        expect.objectContaining({
          topic: 'environments',
          eventPayload: expect.objectContaining({
            context: expect.objectContaining({
              type: 'dev.cdevents.environment.created.0.2.0',
            }),
            subject: expect.objectContaining({ id: 'staging' }),
          }),
        }),
      ]);

      const list = await request(server)
        .get('/api/environments/environments')
        .set('Authorization', bearerFor('otto'));
      expect(list.status).toBe(200);
      expect(list.body.items.map((e: { name: string }) => e.name)).toEqual([
        'staging',
      ]);
    });

    it('keeps creating environments for platform admins', async () => {
      const { server, auditEvent } = await startEnvironments();
      const res = await request(server)
        .post('/api/environments/environments')
        .set('Authorization', bearerFor('priya'))
        .send(staging);
      expect(res.status).toBe(403);
      expect(auditEvent.fail).toHaveBeenCalled();
      const list = await request(server)
        .get('/api/environments/environments')
        .set('Authorization', bearerFor('priya'));
      expect(list.body.items).toEqual([]);
    });

    it('lets the owning team change its environment and nobody else', async () => {
      const { server, published } = await startEnvironments();
      await request(server)
        .post('/api/environments/environments')
        .set('Authorization', bearerFor('ada'))
        .send(staging)
        .expect(201);
      const patch = (user: string) =>
        request(server)
          .patch('/api/environments/environments/staging')
          .set('Authorization', bearerFor(user))
          .send({ protected: true });

      const outsider = await patch('otto');
      expect(outsider.status).toBe(403);
      const unchanged = await request(server)
        .get('/api/environments/environments/staging')
        .set('Authorization', bearerFor('otto'));
      expect(unchanged.body.protected).toBe(false);

      const owner = await patch('priya');
      expect(owner.status).toBe(200);
      expect(owner.body).toMatchObject({
        protected: true,
        updatedBy: 'user:default/priya',
      });
      expect(published.map(e => (e.eventPayload as any).context.type)).toEqual([
        'dev.cdevents.environment.created.0.2.0',
        'dev.cdevents.environment.modified.0.2.0',
      ]);

      expect(
        (
          await request(server)
            .delete('/api/environments/environments/staging')
            .set('Authorization', bearerFor('otto'))
        ).status,
      ).toBe(403);
      expect(
        (
          await request(server)
            .delete('/api/environments/environments/staging')
            .set('Authorization', bearerFor('priya'))
        ).status,
      ).toBe(204);
      expect(
        (
          await request(server)
            .get('/api/environments/environments/staging')
            .set('Authorization', bearerFor('priya'))
        ).status,
      ).toBe(404);
    });

    it.each([
      [{ ...staging, name: 'Not_A_Name' }, 'request/body/name'],
      [{ ...staging, tier: 'qa' }, 'request/body/tier'],
      [{ ...staging, owner: 'team-payments' }, 'request/body/owner'],
      [{ ...staging, promotionOrder: 'first' }, 'request/body/promotionOrder'],
      [
        { ...staging, target: { type: 'kubernetes', cluster: 'eu-1' } },
        'request/body/target',
      ],
      [{ ...staging, colour: 'blue' }, "unknown field 'colour'"],
    ])(
      'refuses %j with a 400 naming %s, and stores nothing',
      async (body, field) => {
        const { server } = await startEnvironments();
        const res = await request(server)
          .post('/api/environments/environments')
          .set('Authorization', bearerFor('ada'))
          .send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        const list = await request(server)
          .get('/api/environments/environments')
          .set('Authorization', bearerFor('ada'));
        expect(list.body.items).toEqual([]);
      },
    );

    it('answers 409 for a taken name and 404 for an unknown environment', async () => {
      const { server } = await startEnvironments();
      const create = () =>
        request(server)
          .post('/api/environments/environments')
          .set('Authorization', bearerFor('ada'))
          .send(staging);
      expect((await create()).status).toBe(201);
      const again = await create();
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        "An environment named 'staging' already exists",
      );
      const missing = await request(server)
        .patch('/api/environments/environments/nowhere')
        .set('Authorization', bearerFor('ada'))
        .send({ protected: true });
      expect(missing.status).toBe(404);
    });

    it('refuses callers without a token', async () => {
      const { server } = await startEnvironments();
      // The mock auth treats a missing header as a default user; this header
      // stands for a request that carries no credentials at all.
      const res = await request(server)
        .get('/api/environments/environments')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  },
);
