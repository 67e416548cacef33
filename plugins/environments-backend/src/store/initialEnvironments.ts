import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  DeployTarget,
  EnvironmentInput,
  EnvironmentTier,
} from '@internal/plugin-environments-common';
import { EnvironmentStore } from './EnvironmentStore';

/** Reads `environments.initial` from config. */
export function readInitialEnvironments(config: Config): EnvironmentInput[] {
  return (config.getOptionalConfigArray('environments.initial') ?? []).map(
    c => ({
      name: c.getString('name'),
      title: c.getOptionalString('title'),
      description: c.getOptionalString('description'),
      tier: c.getString('tier') as EnvironmentTier,
      promotionOrder: c.getNumber('promotionOrder'),
      owner: c.getString('owner'),
      target: c.get('target') as DeployTarget,
      protected: c.getOptionalBoolean('protected') ?? false,
      approvers: c.getOptionalStringArray('approvers'),
    }),
  );
}

/**
 * Creates the configured environments that do not exist yet. Safe to run on
 * every start and from several replicas at once: a name created meanwhile by
 * another replica is a conflict, which is what "exists" means here too.
 */
export async function createInitialEnvironments(
  store: EnvironmentStore,
  initial: EnvironmentInput[],
  logger: LoggerService,
): Promise<void> {
  for (const input of initial) {
    try {
      await store.get(input.name);
      continue;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    try {
      await store.create(input, 'plugin:environments');
      logger.info(`Created environment '${input.name}' from config`);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
