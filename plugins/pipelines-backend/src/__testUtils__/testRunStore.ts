import { mockServices } from '@backstage/backend-test-utils';
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
