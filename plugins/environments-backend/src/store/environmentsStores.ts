import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { SecretCipher } from '../secrets/SecretCipher';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DatabaseEnvironmentStore } from './DatabaseEnvironmentStore';
import { DatabaseLockStore } from './DatabaseLockStore';
import { DatabasePreviewStore } from './DatabasePreviewStore';
import { DatabasePromotionStore } from './DatabasePromotionStore';
import { DatabaseVariableStore } from './DatabaseVariableStore';
import { DeploymentStore } from './DeploymentStore';
import { EnvironmentStore } from './EnvironmentStore';
import { LockStore } from './LockStore';
import { PreviewStore } from './PreviewStore';
import { PromotionStore } from './PromotionStore';
import { VariableStore } from './VariableStore';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-environments-backend',
  'migrations',
);

/** The stores of the environments plugin, all on its one database. */
export type EnvironmentsStores = {
  environments: EnvironmentStore;
  deployments: DeploymentStore;
  locks: LockStore;
  variables: VariableStore;
  promotions: PromotionStore;
  previews: PreviewStore;
};

/**
 * Migrates the plugin's database (unless the backend skips migrations) and
 * opens its stores on it. The plugin's one entry to its database: the
 * stores share one set of migrations, which run here once.
 *
 * @param options.cipher - encrypts and decrypts secret variables; without
 *   it, setting or deploying a secret answers 503.
 */
export async function createEnvironmentsStores(options: {
  database: DatabaseService;
  cipher?: SecretCipher;
}): Promise<EnvironmentsStores> {
  const knex = await options.database.getClient();
  if (!options.database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  return {
    environments: new DatabaseEnvironmentStore(knex),
    deployments: new DatabaseDeploymentStore(knex),
    locks: new DatabaseLockStore(knex),
    variables: new DatabaseVariableStore(knex, options.cipher),
    promotions: new DatabasePromotionStore(knex),
    previews: new DatabasePreviewStore(knex),
  };
}
