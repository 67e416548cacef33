import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { createEnvironmentsStores } from '../store/environmentsStores';
import { DatabaseVariableStore } from '../store/DatabaseVariableStore';
import { SecretCipher } from './SecretCipher';
import {
  rotateSecretKeys,
  scheduleSecretKeyRotation,
  SECRET_KEY_ROTATION_TASK_ID,
} from './secretKeyRotation';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const key = (id: string) => ({
  id,
  secret: randomBytes(32).toString('base64'),
});

describe.each(databases.eachSupportedId())(
  'secret key rotation on %s',
  databaseId => {
    async function storeWith(
      knex: Awaited<ReturnType<typeof databases.init>>,
      ...keys: Array<{ id: string; secret: string }>
    ) {
      return new DatabaseVariableStore(
        knex,
        SecretCipher.fromConfig(
          new ConfigReader({ environments: { secrets: { keys } } }),
          mockServices.logger.mock(),
        ),
      );
    }

    it('re-encrypts, says when older keys may go, and names keys that are missing', async () => {
      const knex = await databases.init(databaseId);
      const { environments } = await createEnvironmentsStores({
        database: mockServices.database({ knex }),
      });
      await environments.create(
        {
          name: 'dev',
          tier: 'development',
          promotionOrder: 10,
          owner: 'group:default/a',
          target: { type: 'external' },
          protected: false,
        },
        'u',
      );
      const old = key('old');
      const gone = key('gone');
      await (
        await storeWith(knex, old)
      ).set('dev', 'A', { value: 'a', secret: true }, 'u');
      await (
        await storeWith(knex, gone)
      ).set('dev', 'B', { value: 'b', secret: true }, 'u');

      const logger = mockServices.logger.mock();
      const store = await storeWith(knex, key('new'), old);
      await rotateSecretKeys(store, logger);
      expect(logger.info).toHaveBeenCalledWith(
        "Re-encrypted 1 secret(s) under key 'new'; no secret is under an older key any more, so older keys can be removed from config",
      );
      expect(logger.error).toHaveBeenCalledWith(
        "Secrets are encrypted under key(s) 'gone' (1) missing from environments.secrets.keys; they cannot be deployed until the key is configured again",
      );

      // Nothing to do: nothing said but the missing key.
      const quiet = mockServices.logger.mock();
      await rotateSecretKeys(store, quiet);
      expect(quiet.info).not.toHaveBeenCalled();
      expect(quiet.error).toHaveBeenCalledTimes(1);
    });

    it('is scheduled on one replica at a time', async () => {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler.mock();
      await scheduleSecretKeyRotation({
        variables: await storeWith(knex, key('k')),
        scheduler,
        logger: mockServices.logger.mock(),
      });
      expect(scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: SECRET_KEY_ROTATION_TASK_ID,
          scope: 'global',
        }),
      );
    });
  },
);
