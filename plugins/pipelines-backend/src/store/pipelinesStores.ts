import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { DatabaseDeliveryStore } from './DatabaseDeliveryStore';
import { createDatabaseRunStore } from './DatabaseRunStore';
import { DatabaseScheduleStore } from './DatabaseScheduleStore';
import { DeliveryStore } from './DeliveryStore';
import { RunStore } from './RunStore';
import { ScheduleStore } from './ScheduleStore';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-pipelines-backend',
  'migrations',
);

/** The stores of the pipelines plugin, all on its one database. */
export type PipelinesStores = {
  deliveries: DeliveryStore;
  runs: RunStore;
  schedules: ScheduleStore;
};

/**
 * Migrates the plugin's database (unless the backend skips migrations) and
 * opens its stores on it. The plugin's one entry to its database: the
 * stores share one set of migrations, which run here once.
 */
export async function createPipelinesStores(options: {
  database: DatabaseService;
}): Promise<PipelinesStores> {
  const knex = await options.database.getClient();
  if (!options.database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return {
    deliveries: new DatabaseDeliveryStore(knex),
    runs: createDatabaseRunStore(knex),
    schedules: new DatabaseScheduleStore(knex),
  };
}
