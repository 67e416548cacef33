/**
 * Inputs the environments API must refuse with a 4xx naming what is wrong,
 * on a real backend, with nothing changed by the refused request.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { bearerFor, recordEvents } from '@internal/platform-backend-test-utils';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const staging = {
  name: 'staging',
  tier: 'staging',
  promotionOrder: 20,
  owner: 'group:default/team-payments',
  target: {
    type: 'kubernetes',
    cluster: 'eu-1',
    namespacePattern: '{component}-{environment}',
  },
};

/** Backstage's error shape, with no stack, source file or SQL. */
function expectErrorBody(body: any, statusCode: number, message: RegExp) {
  expect(Object.keys(body).sort()).toEqual(['error', 'request', 'response']);
  expect(Object.keys(body.error).sort()).toEqual(['message', 'name']);
  expect(body.error.message).toMatch(message);
  expect(body.response).toEqual({ statusCode });
  expect(JSON.stringify(body)).not.toMatch(
    /\bat .+:\d+:\d+|\.(ts|js):\d+|node_modules|\bselect\b.+\bfrom\b/i,
  );
}

describe.each(databases.eachSupportedId())(
  'environments API bad requests on %s',
  databaseId => {
    async function start() {
      const { feature, events } = recordEvents(['environments']);
      const { server } = await startEnvironmentsTestBackend({
        databases,
        databaseId,
        features: [feature],
        environments: {
          kubernetes: {
            clusters: ['eu-1', 'us-1'].map(name => ({
              name,
              url: `https://${name}.k8s.example.test`,
              serviceAccountToken: 'test-token',
            })),
          },
        },
      });
      const as = (user: string) => ({
        get: (path: string) =>
          request(server)
            .get(`/api/environments${path}`)
            .set('Authorization', bearerFor(user)),
        post: (path: string) =>
          request(server)
            .post(`/api/environments${path}`)
            .set('Authorization', bearerFor(user)),
        patch: (path: string) =>
          request(server)
            .patch(`/api/environments${path}`)
            .set('Authorization', bearerFor(user)),
        put: (path: string) =>
          request(server)
            .put(`/api/environments${path}`)
            .set('Authorization', bearerFor(user)),
      });
      const names = async () =>
        (await as('ada').get('/environments')).body.items.map(
          (e: { name: string }) => e.name,
        );
      return { server, events, ada: as('ada'), names };
    }

    it('refuses a cluster that is not configured, naming target.cluster and the configured ones', async () => {
      const { ada, events, names } = await start();
      const elsewhere = {
        ...staging,
        target: { ...staging.target, cluster: 'nowhere' },
      };
      const refused = await ada.post('/environments').send(elsewhere);
      expect(refused.status).toBe(400);
      expectErrorBody(
        refused.body,
        400,
        /^target\.cluster 'nowhere' is not a cluster in environments\.kubernetes\.clusters \(configured: eu-1, us-1\)$/,
      );
      expect(await names()).toEqual([]);

      // Created on a configured cluster, with every placeholder the
      // Kubernetes deployer fills in.
      expect((await ada.post('/environments').send(staging)).status).toBe(201);
      const moved = await ada
        .patch('/environments/staging')
        .send({ target: { ...staging.target, cluster: 'nowhere' } });
      expect(moved.status).toBe(400);
      expect(moved.body.error.message).toMatch(/^target\.cluster 'nowhere'/);
      const after = await ada.get('/environments/staging');
      expect(after.body.target).toEqual(staging.target);
      expect(events).toHaveLength(1);

      const toUs = await ada
        .patch('/environments/staging')
        .send({ target: { ...staging.target, cluster: 'us-1' } });
      expect(toUs.status).toBe(200);
      // An external target names no cluster.
      const external = await ada
        .patch('/environments/staging')
        .send({ target: { type: 'external', system: 'argocd' } });
      expect(external.status).toBe(200);
    });

    it('answers 405 with Allow, 415, 413 and a body that is not JSON, and stores nothing', async () => {
      const { server, ada, names } = await start();
      const put = await request(server)
        .put('/api/environments/environments')
        .set('Authorization', bearerFor('ada'))
        .send(staging);
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('GET, POST');
      expectErrorBody(put.body, 405, /^PUT is not allowed on \/environments/);
      const head = await request(server)
        .head('/api/environments/deployments/current')
        .set('Authorization', bearerFor('ada'));
      expect(head.status).toBe(405);

      const text = await ada
        .post('/environments')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(staging));
      expect(text.status).toBe(415);
      expectErrorBody(text.body, 415, /^Content-Type 'text\/plain'/);
      const broken = await ada
        .post('/environments')
        .set('Content-Type', 'application/json')
        .send('{"name":');
      expect(broken.status).toBe(400);
      expectErrorBody(broken.body, 400, /^request body is not valid JSON/);
      expect(await names()).toEqual([]);

      expect((await ada.post('/environments').send(staging)).status).toBe(201);
      // The largest value a variable may have, each character JSON-escaped
      // to six bytes, is under the limit; past the limit is 413.
      const largest = await ada
        .put('/environments/staging/variables/LARGEST')
        .send({ value: '\u0001'.repeat(32768) });
      expect(largest.status).toBe(200);
      const tooLarge = await ada
        .put('/environments/staging/variables/TOO_LARGE')
        .send({ value: 'x'.repeat(300 * 1024) });
      expect(tooLarge.status).toBe(413);
      expectErrorBody(tooLarge.body, 413, /^request body is larger than 256kb/);
      const variables = await ada.get('/environments/staging/variables');
      expect(variables.body.items.map((v: { name: string }) => v.name)).toEqual(
        ['LARGEST'],
      );
    });

    it('bounds limit, and Infinity or 1e309 is not a number of deployments', async () => {
      const { ada } = await start();
      for (const [query, message] of [
        ['limit=1e309', /^request\/query\/limit must be integer$/],
        ['limit=Infinity', /^request\/query\/limit must be integer$/],
        ['limit=501', /^request\/query\/limit must be <= 500/],
        ['limit=0', /^request\/query\/limit must be >= 1/],
      ] as const) {
        const res = await ada.get(`/deployments?${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expectErrorBody(res.body, 400, message);
      }
      expect((await ada.get('/deployments?limit=500')).status).toBe(200);
    });
  },
);
