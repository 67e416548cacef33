import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { bearerFor } from '@internal/platform-backend-test-utils';
import { PlatformPermissionPolicy } from '@internal/plugin-permission-backend-module-platform-policy';
import { environmentSecretsManagePermission } from '@internal/plugin-environments-common';
import {
  Deployer,
  deployerExtensionPoint,
} from '@internal/plugin-environments-node';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startEnvironmentsTestBackend } from '../__testUtils__/environmentsTestBackend';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
// Each test starts a backend with the catalog, which takes a few seconds on
// a busy machine.
jest.setTimeout(30_000);

/** Records what the external deployer is handed. */
function capturingDeployer() {
  const requests: Parameters<Deployer['deploy']>[0][] = [];
  const module = createBackendModule({
    pluginId: 'environments',
    moduleId: 'capturing-deployer',
    register(reg) {
      reg.registerInit({
        deps: { deployers: deployerExtensionPoint },
        async init({ deployers }) {
          deployers.addDeployer({
            targetType: 'external',
            async deploy(req) {
              requests.push(req);
            },
          });
        },
      });
    },
  });
  return { module, requests };
}

/** The platform policy, except that only admins manage secrets. */
const secretsForAdminsOnly = createBackendModule({
  pluginId: 'permission',
  moduleId: 'secrets-for-admins',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        const platform = new PlatformPermissionPolicy({
          adminGroups: ['group:default/platform-admins'],
        });
        policy.setPolicy({
          async handle(req, user) {
            if (
              isPermission(
                req.permission,
                environmentSecretsManagePermission,
              ) &&
              !user?.info.ownershipEntityRefs.includes(
                'group:default/platform-admins',
              )
            ) {
              return { result: AuthorizeResult.DENY };
            }
            return platform.handle(req, user);
          },
        });
      },
    });
  },
});

describe.each(databases.eachSupportedId())('variables on %s', databaseId => {
  async function start(
    options: { keys?: object[]; policy?: BackendFeature } = {},
  ) {
    const auditor = mockServices.auditor.mock();
    const auditEvent = { success: jest.fn(), fail: jest.fn() };
    auditor.createEvent.mockResolvedValue(auditEvent);
    const deployer = capturingDeployer();
    const { server } = await startEnvironmentsTestBackend({
      databases,
      databaseId,
      auditor,
      features: [deployer.module],
      policy: options.policy,
      environments: {
        ...(options.keys ? { secrets: { keys: options.keys } } : {}),
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
      list: (env = 'dev') =>
        request(server)
          .get(`/api/environments/environments/${env}/variables`)
          .set('Authorization', bearerFor(user)),
      set: (name: string, body: object, env = 'dev') =>
        request(server)
          .put(`/api/environments/environments/${env}/variables/${name}`)
          .set('Authorization', bearerFor(user))
          .send(body),
      remove: (name: string) =>
        request(server)
          .delete(`/api/environments/environments/dev/variables/${name}`)
          .set('Authorization', bearerFor(user)),
      deploy: () =>
        request(server)
          .post('/api/environments/deployments')
          .set('Authorization', bearerFor(user))
          .send({
            component: 'component:default/payments-api',
            environment: 'dev',
            version: '1.0.0',
            artifact: {
              image: 'registry.local/payments-api:1.0.0',
              digest: `sha256:${'ab'.repeat(32)}`,
            },
          }),
    });
    return { as, auditor, auditEvent, deployer: deployer.requests };
  }
  const keys = [{ id: 'k1', secret: randomBytes(32).toString('base64') }];

  it('lets the owning team set plain and secret variables; a secret is never returned', async () => {
    const { as, auditor, auditEvent } = await start({ keys });
    const plain = await as('priya').set('LOG_LEVEL', { value: 'debug' });
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({
      name: 'LOG_LEVEL',
      value: 'debug',
      secret: false,
      updatedAt: expect.any(String),
      updatedBy: 'user:default/priya',
    });
    const secret = await as('priya').set('DB_PASSWORD', {
      value: 'hunter2',
      secret: true,
    });
    expect(secret.status).toBe(200);
    expect(secret.body).toEqual({
      name: 'DB_PASSWORD',
      secret: true,
      updatedAt: expect.any(String),
      updatedBy: 'user:default/priya',
    });

    // Anyone who reads the environment sees the names; nobody the secret.
    for (const user of ['otto', 'priya', 'ada']) {
      const list = await as(user).list();
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ name: 'DB_PASSWORD', secret: true }),
        expect.objectContaining({ name: 'LOG_LEVEL', value: 'debug' }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain('hunter2');
    }
    const audited = [
      ...auditor.createEvent.mock.calls.map(([event]) => event.meta),
      ...auditEvent.success.mock.calls,
      ...auditEvent.fail.mock.calls,
    ];
    expect(audited.length).toBeGreaterThan(0);
    expect(JSON.stringify(audited)).not.toContain('hunter2');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'environment-variable-set',
        meta: { name: 'dev', variable: 'DB_PASSWORD', secret: true },
      }),
    );
  });

  it('hands the deployer every variable, secrets decrypted', async () => {
    const { as, deployer } = await start({ keys });
    await as('priya').set('LOG_LEVEL', { value: 'debug' }).expect(200);
    await as('priya')
      .set('DB_PASSWORD', { value: 'hunter2', secret: true })
      .expect(200);
    expect((await as('priya').deploy()).status).toBe(201);
    expect(deployer).toHaveLength(1);
    expect(deployer[0].variables).toEqual([
      { name: 'DB_PASSWORD', value: 'hunter2', secret: true },
      { name: 'LOG_LEVEL', value: 'debug', secret: false },
    ]);
  });

  it('refuses other teams, and keeps secrets to those who manage them', async () => {
    const { as, auditEvent } = await start({
      keys,
      policy: secretsForAdminsOnly,
    });
    expect((await as('otto').set('A', { value: '1' })).status).toBe(403);
    expect(auditEvent.fail).toHaveBeenCalled();
    // The owner changes plain variables but not secrets under this policy.
    expect((await as('priya').set('A', { value: '1' })).status).toBe(200);
    const denied = await as('priya').set('S', { value: 'x', secret: true });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to environments.environment.secrets.manage on dev',
    );
    expect(
      (await as('ada').set('S', { value: 'x', secret: true })).status,
    ).toBe(200);
    // Turning a secret into a plain variable, or deleting it, is managing it.
    expect((await as('priya').set('S', { value: 'y' })).status).toBe(403);
    expect((await as('priya').remove('S')).status).toBe(403);
    expect((await as('priya').remove('A')).status).toBe(204);
    expect((await as('ada').remove('S')).status).toBe(204);
    expect((await as('ada').list()).body.items).toEqual([]);
  });

  it('stores plain variables without a key, and answers 503 naming the config for secrets', async () => {
    const { as } = await start();
    expect((await as('priya').set('A', { value: '1' })).status).toBe(200);
    const secret = await as('priya').set('S', { value: 'x', secret: true });
    expect(secret.status).toBe(503);
    expect(secret.body.error.message).toContain(
      'no encryption key is configured. Set environments.secrets.keys[0].id and .secret',
    );
    expect(
      (await as('priya').list()).body.items.map((v: any) => v.name),
    ).toEqual(['A']);
  });

  it.each([
    [
      'a name starting with a digit',
      '1ABC',
      { value: 'x' },
      'request/params/variable',
    ],
    [
      'a name with a dash',
      'WITH-DASH',
      { value: 'x' },
      'request/params/variable',
    ],
    [
      'a value over 32 KiB',
      'OK',
      { value: 'x'.repeat(32769) },
      'request/body/value',
    ],
    ['a value that is not a string', 'OK', { value: 42 }, 'request/body/value'],
    [
      'an unknown field',
      'OK',
      { value: 'x', colour: 'blue' },
      "unknown field 'colour'",
    ],
    ['no value', 'OK', {}, 'value'],
  ])('refuses %s with a 400 naming it', async (_label, name, body, field) => {
    const { as } = await start({ keys });
    const res = await as('priya').set(name, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
    expect((await as('priya').list()).body.items).toEqual([]);
  });

  it('answers 404 for an unknown environment or variable', async () => {
    const { as } = await start({ keys });
    expect((await as('ada').set('A', { value: '1' }, 'mars')).status).toBe(404);
    expect((await as('ada').list('mars')).status).toBe(404);
    const missing = await as('ada').remove('NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      "Environment 'dev' has no variable 'NOPE'",
    );
  });
});
