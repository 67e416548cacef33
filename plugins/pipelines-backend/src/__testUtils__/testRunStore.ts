import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createPipelinesStores } from '../store/pipelinesStores';
import { NewRun } from '../store/RunQueueStore';

/** The commit of the runs {@link pushRun} queues. */
export const TEST_COMMIT = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

/** A run of `payments-api`'s main branch as delivery 1 queues it. */
export function pushRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    component: 'component:default/payments-api',
    repository: 'acme/payments-api',
    cloneUrl: 'file:///tmp/none',
    ref: 'refs/heads/main',
    branch: 'main',
    commit: TEST_COMMIT,
    trigger: {
      type: 'push',
      branch: 'main',
      commit: TEST_COMMIT,
      deliveryId: 1,
    },
    deliveryId: 1,
    ...overrides,
  };
}

/** The run store on a test database, migrated as the plugin migrates it. */
export async function createTestRunStore(knex: Knex) {
  const { runs } = await createPipelinesStores({
    database: mockServices.database({ knex }),
  });
  return runs;
}

/** What {@link describeRunStore} hands its tests: a fresh store and its database. */
export type CreateTestRunStore = () => Promise<{
  store: Awaited<ReturnType<typeof createTestRunStore>>;
  knex: Knex;
}>;

/**
 * Describes the tests of one part of the run store on SQLite and PostgreSQL,
 * as `<name> on <database>`; each `createStore()` gives a store on a fresh,
 * migrated database, and `databaseId` says which engine it is on.
 */
export function describeRunStore(
  name: string,
  tests: (createStore: CreateTestRunStore, databaseId: TestDatabaseId) => void,
) {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  describe.each(databases.eachSupportedId())(`${name} on %s`, databaseId => {
    tests(async () => {
      const knex = await databases.init(databaseId);
      return { store: await createTestRunStore(knex), knex };
    }, databaseId);
  });
}
