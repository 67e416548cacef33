import {
  BackstageCredentials,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ActionsService,
  actionsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { bearerFor } from '@internal/platform-backend-test-utils';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';

// The actions as an agent reaches them: through the actions service, which
// calls the environments plugin's actions registry over HTTP on behalf of
// the user, as the MCP actions backend does; against the real router,
// permission backend with the platform policy, and catalog.

const digest = `sha256:${'ab'.repeat(32)}`;
const deployInput = {
  component: 'payments-api',
  environment: 'dev',
  version: '1.4.0',
  artifact: { image: 'registry.local/payments-api:1.4.0', digest },
};

const environment = (name: string, order: number, extra: object = {}) => ({
  name,
  tier: name === 'production' ? 'production' : 'development',
  promotionOrder: order,
  owner: 'group:default/platform-admins',
  target: { type: 'external' },
  ...extra,
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())(
  'environments actions on %s',
  databaseId => {
    let started: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      started = await start();
    });
    afterAll(() => started.backend.stop());

    async function start() {
      let actions: ActionsService | undefined;
      // Stands in for the MCP actions backend: a plugin holding the actions
      // service.
      const agent = createBackendPlugin({
        pluginId: 'agent',
        register(reg) {
          reg.registerInit({
            deps: { actionsService: actionsServiceRef },
            async init({ actionsService }) {
              actions = actionsService;
            },
          });
        },
      });
      const backend = await startEnvironmentsTestBackend({
        databases,
        databaseId,
        features: [agent],
        config: { backend: { actions: { pluginSources: ['environments'] } } },
        environments: {
          initial: [
            environment('dev', 10),
            environment('staging', 20),
            environment('production', 30, { protected: true }),
          ],
        },
      });
      const { server } = backend;
      const as = (user: string) => {
        const credentials: BackstageCredentials = mockCredentials.user(
          `user:default/${user}`,
        );
        return {
          invoke: async (name: string, input: JsonObject) =>
            (
              await actions!.invoke({
                id: `environments:${name}`,
                input,
                credentials,
              })
            ).output as any,
          fails: (name: string, input: JsonObject) =>
            actions!
              .invoke({ id: `environments:${name}`, input, credentials })
              .then(
                () => {
                  throw new Error(`${name} succeeded`);
                },
                error => error,
              ),
        };
      };
      const report = (id: string, status: string) =>
        request(server)
          .post(`/api/environments/deployments/${id}/status`)
          .set('Authorization', bearerFor('priya'))
          .send({ status });
      const lock = (name: string) =>
        request(server)
          .post(`/api/environments/environments/${name}/locks`)
          .set('Authorization', bearerFor('ada'))
          .send({ reason: 'Release freeze' });
      return { backend, actions: actions!, as, report, lock };
    }

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
        'list-environments': reading,
        'list-deployments': reading,
        'list-current-deployments': reading,
        'get-deployment': reading,
        'deploy-version': {
          readOnly: false,
          destructive: true,
          idempotent: false,
        },
      });
      for (const action of listed) {
        expect(action.description.length).toBeGreaterThan(80);
      }
    });

    it('lists environments in promotion order with their locks', async () => {
      const { as, lock } = started;
      expect((await lock('staging')).status).toBe(201);
      const { environments } = await as('otto').invoke('list-environments', {});
      expect(
        environments.map((e: any) => [e.name, e.protected, e.locks.length]),
      ).toEqual([
        ['dev', false, 0],
        ['staging', false, 1],
        ['production', true, 0],
      ]);
      expect(environments[1].locks[0]).toMatchObject({
        reason: 'Release freeze',
        createdBy: 'user:default/ada',
      });
      const { environments: production } = await as('otto').invoke(
        'list-environments',
        { tier: 'production' },
      );
      expect(production.map((e: any) => e.name)).toEqual(['production']);
    });

    it('deploys for the owning team, as that user, and reads it back', async () => {
      const { as, report } = started;
      const { deployment } = await as('priya').invoke(
        'deploy-version',
        deployInput,
      );
      expect(deployment).toMatchObject({
        component: 'component:default/payments-api',
        environment: 'dev',
        status: 'pending',
        trigger: { type: 'user', user: 'user:default/priya' },
      });
      expect((await report(deployment.id, 'succeeded')).status).toBe(200);

      const read = await as('otto').invoke('get-deployment', {
        id: deployment.id,
      });
      expect(read.deployment.status).toBe('succeeded');
      const history = await as('otto').invoke('list-deployments', {
        component: 'component:default/payments-api',
        environment: 'dev',
      });
      expect(history.deployments.map((d: any) => d.id)).toEqual([
        deployment.id,
      ]);
      const { current } = await as('otto').invoke('list-current-deployments', {
        component: 'payments-api',
        environment: 'dev',
      });
      expect(current).toEqual([
        expect.objectContaining({
          component: 'component:default/payments-api',
          environment: 'dev',
          live: expect.objectContaining({ id: deployment.id }),
          latest: expect.objectContaining({ id: deployment.id }),
        }),
      ]);
    });

    it('refuses a deploy by a team that does not own the component, and stores nothing', async () => {
      const { as } = started;
      const before = await as('ada').invoke('list-deployments', {});
      const error = await as('otto').fails('deploy-version', deployInput);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe(
        'Not allowed to environments.deployment.create on component:default/payments-api',
      );
      expect(await as('ada').invoke('list-deployments', {})).toEqual(before);
    });

    it('keeps protected environments for promotion, except for admins', async () => {
      const { as } = started;
      const error = await as('priya').fails('deploy-version', {
        ...deployInput,
        environment: 'production',
      });
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toContain(
        "Environment 'production' is protected",
      );
      const { deployment } = await as('ada').invoke('deploy-version', {
        ...deployInput,
        environment: 'production',
      });
      expect(deployment.trigger).toEqual({
        type: 'user',
        user: 'user:default/ada',
      });
    });

    it('refuses a deploy on behalf of a service', async () => {
      const { actions } = started;
      const error = await actions
        .invoke({
          id: 'environments:deploy-version',
          input: deployInput,
          credentials: mockCredentials.service('plugin:pipelines'),
        })
        .catch(e => e);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toContain('acts for a signed-in user');
    });

    it.each([
      [
        'a malformed digest',
        'deploy-version',
        {
          ...deployInput,
          artifact: { image: deployInput.artifact.image, digest: 'md5:1' },
        },
        400,
        'request/body/artifact/digest must match pattern',
      ],
      [
        'an unknown environment',
        'deploy-version',
        { ...deployInput, environment: 'mars' },
        404,
        "No environment named 'mars'",
      ],
      [
        'a missing artifact',
        'deploy-version',
        { ...deployInput, artifact: undefined },
        400,
        'Invalid input to action "environments:deploy-version"',
      ],
      [
        'a group as the component',
        'deploy-version',
        { ...deployInput, component: 'group:default/team-payments' },
        400,
        "component must refer to a Component, got 'group:default/team-payments' of kind group",
      ],
      [
        'neither component nor environment',
        'list-current-deployments',
        {},
        400,
        'Give a component, an environment, or both',
      ],
      [
        'a deployment id that is not one',
        'get-deployment',
        { id: 'latest' },
        400,
        'Invalid input to action "environments:get-deployment"',
      ],
    ])(
      'answers %s with a 4xx that says why',
      async (_what, name, input, status, message) => {
        const { as } = started;
        const before = await as('ada').invoke('list-deployments', {});
        const error = await as('priya').fails(name, input as JsonObject);
        expect(error.statusCode).toBe(status);
        expect(error.cause.message).toContain(message);
        expect(await as('ada').invoke('list-deployments', {})).toEqual(before);
      },
    );
  },
);
