import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  Environment,
  EnvironmentsApi,
} from '@internal/plugin-environments-common';
import { EnvironmentEntityProvider } from './EnvironmentEntityProvider';

const dev: Environment = {
  name: 'dev',
  tier: 'development',
  promotionOrder: 10,
  owner: 'group:default/platform-admins',
  target: {
    type: 'kubernetes',
    cluster: 'east',
    namespacePattern: '{environment}',
  },
  protected: false,
  createdAt: '2026-11-25T10:00:00.000Z',
  createdBy: 'user:default/ada',
  updatedAt: '2026-11-25T10:00:00.000Z',
  updatedBy: 'user:default/ada',
};

function setUp() {
  let release: () => void = () => {};
  const listEnvironments = jest.fn(
    () =>
      new Promise<Environment[]>(resolve => {
        release = () => resolve([dev]);
      }),
  );
  const environments = {
    listEnvironments,
    listCurrentDeployments: async () => [],
  } as unknown as EnvironmentsApi;
  const applyMutation = jest.fn(async () => {});
  const provider = new EnvironmentEntityProvider({
    environments,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    schedule: { run: async () => {} },
    appBaseUrl: 'http://portal',
  });
  return {
    provider,
    listEnvironments,
    applyMutation,
    release: () => release(),
  };
}

describe('EnvironmentEntityProvider', () => {
  it('folds a burst of change events into one refresh after the running one', async () => {
    const { provider, listEnvironments, applyMutation, release } = setUp();
    await provider.connect({
      applyMutation,
      refresh: async () => {},
    } as EntityProviderConnection);

    const burst = Promise.all(
      [1, 2, 3, 4, 5].map(() => provider.refreshSoon()),
    );
    await new Promise(r => setImmediate(r));
    release();
    await new Promise(r => setImmediate(r));
    release();
    await burst;
    expect(listEnvironments).toHaveBeenCalledTimes(2);
    expect(applyMutation).toHaveBeenCalledTimes(2);
    expect(applyMutation).toHaveBeenLastCalledWith({
      type: 'full',
      entities: [
        expect.objectContaining({
          entity: expect.objectContaining({
            metadata: expect.objectContaining({
              name: 'dev',
              description:
                'The development environment dev; deploy target: Kubernetes cluster east, namespace {environment}.',
            }),
          }),
        }),
      ],
    });
  });

  it('refuses to refresh before the catalog connected it', async () => {
    const { provider } = setUp();
    await expect(provider.refresh()).rejects.toThrow('not connected');
  });
});
