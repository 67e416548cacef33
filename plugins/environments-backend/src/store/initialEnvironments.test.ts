import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createEnvironmentsStores } from './environmentsStores';
import {
  createInitialEnvironments,
  readInitialEnvironments,
} from './initialEnvironments';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const config = new ConfigReader({
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
        name: 'production',
        tier: 'production',
        promotionOrder: 30,
        owner: 'group:default/platform-admins',
        target: {
          type: 'kubernetes',
          cluster: 'local',
          namespacePattern: '{component}',
        },
        protected: true,
      },
    ],
  },
});

describe.each(databases.eachSupportedId())(
  'initial environments on %s',
  databaseId => {
    it('creates the missing ones and leaves existing ones as they are', async () => {
      const knex = await databases.init(databaseId);
      const { environments: store } = await createEnvironmentsStores({
        database: mockServices.database({ knex }),
      });
      await store.create(
        {
          name: 'dev',
          title: 'Changed by hand',
          tier: 'development',
          promotionOrder: 5,
          owner: 'group:default/team-payments',
          target: { type: 'external' },
          protected: false,
        },
        'user:default/ada',
      );
      const logger = mockServices.logger.mock();
      const initial = readInitialEnvironments(config);
      // Twice, as two replicas starting together would.
      await Promise.all([
        createInitialEnvironments(store, initial, logger),
        createInitialEnvironments(store, initial, logger),
      ]);
      const environments = await store.list();
      expect(environments.map(e => [e.name, e.title, e.protected])).toEqual([
        ['dev', 'Changed by hand', false],
        ['production', undefined, true],
      ]);
      expect(environments[1].createdBy).toBe('plugin:environments');
    });
  },
);
