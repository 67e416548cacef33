import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { EnvironmentsClient } from '@internal/plugin-environments-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { randomBytes } from 'node:crypto';
import { paymentsApiEntity } from '../__testUtils__/testCatalog';
import { environmentsPlugin } from '../plugin';

// The client of -common against the real router: the contract both share.
describe('EnvironmentsClient against the environments backend', () => {
  async function clientFor(environments: object = {}) {
    const { server } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [paymentsApiEntity] }),
        mockServices.rootConfig.factory({
          data: { events: { useEventBus: 'never' }, environments },
        }),
      ],
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return new EnvironmentsClient({
      discoveryApi: {
        getBaseUrl: async id => `http://localhost:${address.port}/api/${id}`,
      },
    });
  }
  const token = mockCredentials.user.token('user:default/ada');

  it('creates, reads, updates, lists and deletes', async () => {
    const client = await clientFor();
    const created = await client.createEnvironment(
      {
        name: 'qa',
        tier: 'staging',
        promotionOrder: 15,
        owner: 'group:default/platform-admins',
        target: { type: 'external' },
        protected: false,
      },
      { token },
    );
    expect(created.createdBy).toBe('user:default/ada');
    await expect(client.getEnvironment('qa', { token })).resolves.toEqual(
      created,
    );
    const updated = await client.updateEnvironment(
      'qa',
      { protected: true },
      { token },
    );
    expect(updated.protected).toBe(true);
    await expect(client.listEnvironments({ token })).resolves.toEqual([
      updated,
    ]);
    await client.deleteEnvironment('qa', { token });
    await expect(client.listEnvironments({ token })).resolves.toEqual([]);
  });

  it('sets, lists and deletes variables; a secret comes back without value', async () => {
    const client = await clientFor({
      secrets: {
        keys: [{ id: 'k1', secret: randomBytes(32).toString('base64') }],
      },
    });
    await client.createEnvironment(
      {
        name: 'qa',
        tier: 'staging',
        promotionOrder: 15,
        owner: 'group:default/platform-admins',
        target: { type: 'external' },
        protected: false,
      },
      { token },
    );
    await client.setVariable('qa', 'LOG_LEVEL', { value: 'info' }, { token });
    const secret = await client.setVariable(
      'qa',
      'API_KEY',
      { value: 'k-123', secret: true },
      { token },
    );
    expect(secret).not.toHaveProperty('value');
    const listed = await client.listVariables('qa', { token });
    expect(listed.map(v => [v.name, v.value, v.secret])).toEqual([
      ['API_KEY', undefined, true],
      ['LOG_LEVEL', 'info', false],
    ]);
    await client.deleteVariable('qa', 'API_KEY', { token });
    expect(
      (await client.listVariables('qa', { token })).map(v => v.name),
    ).toEqual(['LOG_LEVEL']);
  });

  it('creates a preview once per pull request and tears it down', async () => {
    const client = await clientFor({
      previews: { target: { type: 'external' } },
    });
    const request = {
      component: 'component:default/payments-api',
      pullRequest: { number: 9 },
    };
    const created = await client.createPreview(request, { token });
    expect(created).toMatchObject({
      name: 'payments-api-pr-9',
      tier: 'preview',
      owner: 'group:default/team-payments',
      preview: { component: request.component, pullRequest: { number: 9 } },
    });
    const again = await client.createPreview(
      { ...request, ttl: 'P7D' },
      { token },
    );
    expect(again.name).toBe(created.name);
    expect(Date.parse(again.preview!.expiresAt)).toBeGreaterThan(
      Date.parse(created.preview!.expiresAt),
    );
    await client.tearDownPreview(created.name, { token });
    await expect(client.listEnvironments({ token })).resolves.toEqual([]);
  });

  it('locks an environment, lists the lock and releases it', async () => {
    const client = await clientFor();
    await client.createEnvironment(
      {
        name: 'qa',
        tier: 'staging',
        promotionOrder: 15,
        owner: 'group:default/platform-admins',
        target: { type: 'external' },
      },
      { token },
    );
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const lock = await client.lockEnvironment(
      'qa',
      { reason: 'release freeze', expiresAt },
      { token },
    );
    expect(lock).toMatchObject({
      environment: 'qa',
      reason: 'release freeze',
      createdBy: 'user:default/ada',
    });
    expect(Date.parse(lock.expiresAt!)).toBe(Date.parse(expiresAt));
    await expect(client.listEnvironmentLocks('qa', { token })).resolves.toEqual(
      [lock],
    );
    await expect(client.listActiveLocks({ token })).resolves.toEqual([lock]);
    await client.releaseEnvironmentLock('qa', lock.id, { token });
    await expect(client.listEnvironmentLocks('qa', { token })).resolves.toEqual(
      [],
    );
    const error = await client
      .lockEnvironment('nowhere', { reason: 'release freeze' }, { token })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
  });

  it('raises the backend error with its status and message', async () => {
    const client = await clientFor();
    const error = await client
      .getEnvironment('nowhere', { token })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe("No environment named 'nowhere'");
  });
});
