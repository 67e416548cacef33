import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { VariableStore } from '../store/VariableStore';
import { SECRET_KEYS_CONFIG_KEY } from './SecretCipher';

/** The id of the scheduled task that re-encrypts secrets under the current key. */
export const SECRET_KEY_ROTATION_TASK_ID = 'environments-secret-key-rotation';

/**
 * One pass of key rotation: re-encrypts the secrets under older keys with the
 * current one and says in the log what is left, so an operator knows when an
 * old key can leave the config.
 */
export async function rotateSecretKeys(
  variables: VariableStore,
  logger: LoggerService,
  signal?: AbortSignal,
): Promise<void> {
  const result = await variables.reencryptUnderCurrentKey(signal);
  const keys = variables.configuredKeyIds;
  const unknown = Object.keys(result.byKey).filter(id => !keys.includes(id));
  const older = Object.keys(result.byKey).filter(
    id => keys.includes(id) && id !== keys[0],
  );
  if (result.reencrypted > 0) {
    logger.info(
      `Re-encrypted ${result.reencrypted} secret(s) under key '${keys[0]}'${
        older.length === 0
          ? '; no secret is under an older key any more, so older keys can be removed from config'
          : ''
      }`,
    );
  }
  for (const failed of result.failed) {
    logger.error(
      `Secret '${failed.name}' of environment '${failed.environment}' does not decrypt with key '${failed.keyId}'; it was left as it is`,
    );
  }
  if (unknown.length > 0) {
    logger.error(
      `Secrets are encrypted under key(s) ${unknown
        .map(id => `'${id}' (${result.byKey[id]})`)
        .join(
          ', ',
        )} missing from ${SECRET_KEYS_CONFIG_KEY}; they cannot be deployed until the key is configured again`,
    );
  }
}

/**
 * Runs key rotation shortly after start-up and then every ten minutes, on one
 * replica at a time (scope global). A rotation is a config change (a new key
 * first in the list), so it happens without anyone calling anything; every
 * row is re-encrypted on its own, so a pass cut short is taken up by the next.
 */
export async function scheduleSecretKeyRotation(options: {
  variables: VariableStore;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<void> {
  const { variables, scheduler, logger } = options;
  await scheduler.scheduleTask({
    id: SECRET_KEY_ROTATION_TASK_ID,
    scope: 'global',
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
    fn: signal => rotateSecretKeys(variables, logger, signal),
  });
}
