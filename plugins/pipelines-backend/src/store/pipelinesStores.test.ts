import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolve as resolvePath } from 'node:path';
import { createPipelinesStores } from './pipelinesStores';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'createPipelinesStores on %s',
  databaseId => {
    it('migrates the database once for every store', async () => {
      const knex = await databases.init(databaseId);
      const { deliveries, runs, schedules } = await createPipelinesStores({
        database: mockServices.database({ knex }),
      });
      expect((await deliveries.list({})).items).toEqual([]);
      expect(await runs.list({ limit: 1 })).toEqual([]);
      expect(await schedules.list()).toEqual([]);
    });

    it('leaves the database alone when the backend skips migrations', async () => {
      const knex = await databases.init(databaseId);
      await createPipelinesStores({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      expect(await knex.schema.hasTable('runs')).toBe(false);
      expect(await knex.schema.hasTable('deliveries')).toBe(false);
    });

    it('migrates down and up again', async () => {
      const knex = await databases.init(databaseId);
      await createPipelinesStores({
        database: mockServices.database({ knex }),
      });
      const directory = resolvePath(__dirname, '../../migrations');
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('step_runs', 'waiting_for')).toBe(
        false,
      );
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'workspace')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'stages')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('schedules')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'default_branch')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('artifacts')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('runs', 'number')).toBe(false);
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('runs')).toBe(false);
      expect(await knex.schema.hasTable('deliveries')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('step_logs')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'number')).toBe(true);
      expect(await knex.schema.hasTable('artifacts')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'default_branch')).toBe(true);
      expect(await knex.schema.hasTable('schedules')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'stages')).toBe(true);
      expect(await knex.schema.hasColumn('runs', 'workspace')).toBe(true);
      expect(await knex.schema.hasColumn('step_runs', 'waiting_for')).toBe(
        true,
      );
    });
  },
);
