import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { createEnvironmentsStores } from './environmentsStores';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const TABLES = [
  'environments',
  'deployments',
  'deployment_heads',
  'environment_locks',
  'environment_variables',
  'promotions',
];

describe.each(databases.eachSupportedId())(
  'createEnvironmentsStores on %s',
  databaseId => {
    it('migrates the database once and opens every store on it', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const first = await createEnvironmentsStores({ database });
      for (const table of TABLES) {
        expect({ table, exists: await knex.schema.hasTable(table) }).toEqual({
          table,
          exists: true,
        });
      }
      await first.environments.create(
        {
          name: 'dev',
          tier: 'development',
          promotionOrder: 10,
          owner: 'group:default/team-payments',
          target: { type: 'external' },
          protected: false,
        },
        'user:default/ada',
      );
      await first.locks.lock('dev', { reason: 'freeze' }, 'user:default/ada');
      // A second start (another replica) migrates nothing and sees the same rows.
      const again = await createEnvironmentsStores({ database });
      expect((await again.environments.list()).map(e => e.name)).toEqual([
        'dev',
      ]);
      expect((await again.locks.active('dev')).map(l => l.reason)).toEqual([
        'freeze',
      ]);
      await expect(again.variables.list('dev')).resolves.toEqual([]);
      await expect(again.promotions.list()).resolves.toEqual([]);
      await expect(again.previews.due(new Date())).resolves.toEqual([]);
      await expect(again.deployments.list({})).resolves.toEqual([]);
    });

    it('leaves the database alone when the backend skips migrations', async () => {
      const knex = await databases.init(databaseId);
      await createEnvironmentsStores({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      expect(await knex.schema.hasTable('environments')).toBe(false);
    });

    it('migrates down and up again', async () => {
      const knex = await databases.init(databaseId);
      await createEnvironmentsStores({
        database: mockServices.database({ knex }),
      });
      const directory = require('node:path').resolve(
        __dirname,
        '../../migrations',
      );
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('environments')).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('environments')).toBe(true);
    });
  },
);
