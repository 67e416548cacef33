import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { EnvironmentInput } from '@internal/plugin-environments-common';
import { createEnvironmentsStores } from './environmentsStores';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const staging: EnvironmentInput = {
  name: 'staging',
  title: 'Staging',
  tier: 'staging',
  promotionOrder: 20,
  owner: 'group:default/platform-admins',
  target: {
    type: 'kubernetes',
    cluster: 'eu-1',
    namespacePattern: '{component}-staging',
  },
  protected: false,
};
const dev: EnvironmentInput = {
  name: 'dev',
  tier: 'development',
  promotionOrder: 10,
  owner: 'group:default/platform-admins',
  target: { type: 'external', system: 'argocd' },
  protected: false,
};

describe.each(databases.eachSupportedId())(
  'DatabaseEnvironmentStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const { environments } = await createEnvironmentsStores({ database });
      return { store: environments, knex };
    }

    it('creates, reads and lists environments in promotion order', async () => {
      const { store } = await createStore();
      const created = await store.create(staging, 'user:default/ada');
      expect(created).toEqual({
        ...staging,
        createdBy: 'user:default/ada',
        updatedBy: 'user:default/ada',
        createdAt: expect.any(String),
        updatedAt: created.createdAt,
      });
      expect(Date.parse(created.createdAt)).toBeGreaterThan(
        Date.now() - 60_000,
      );
      await store.create(dev, 'user:default/ada');
      expect((await store.list()).map(e => e.name)).toEqual(['dev', 'staging']);
      await expect(store.get('staging')).resolves.toEqual(created);
    });

    it('refuses a second environment with the same name and keeps the first', async () => {
      const { store } = await createStore();
      await store.create(staging, 'user:default/ada');
      await expect(
        store.create({ ...staging, title: 'Other' }, 'user:default/otto'),
      ).rejects.toThrow(ConflictError);
      await expect(store.get('staging')).resolves.toMatchObject({
        title: 'Staging',
        createdBy: 'user:default/ada',
      });
    });

    it('updates only the given fields and reports before and after', async () => {
      const { store } = await createStore();
      await store.create(staging, 'user:default/ada');
      const { before, after } = await store.update(
        'staging',
        { protected: true, target: { type: 'external' } },
        'user:default/priya',
      );
      expect(before.protected).toBe(false);
      expect(after).toMatchObject({
        protected: true,
        target: { type: 'external' },
        title: 'Staging',
        promotionOrder: 20,
        updatedBy: 'user:default/priya',
        createdBy: 'user:default/ada',
      });
    });

    it('deletes, and says so when the environment does not exist', async () => {
      const { store } = await createStore();
      await store.create(dev, 'user:default/ada');
      await expect(store.delete('dev')).resolves.toMatchObject({ name: 'dev' });
      await expect(store.get('dev')).rejects.toThrow(NotFoundError);
      await expect(store.delete('dev')).rejects.toThrow(NotFoundError);
      await expect(
        store.update('dev', { protected: true }, 'user:default/ada'),
      ).rejects.toThrow(NotFoundError);
    });
  },
);
