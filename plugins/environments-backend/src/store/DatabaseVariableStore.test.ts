import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../secrets/SecretCipher';
import { createEnvironmentsStores } from './environmentsStores';
import { DatabaseVariableStore } from './DatabaseVariableStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const key = () => randomBytes(32).toString('base64');
function cipherOf(...keys: Array<{ id: string; secret: string }>) {
  return SecretCipher.fromConfig(
    new ConfigReader({ environments: { secrets: { keys } } }),
    mockServices.logger.mock(),
  );
}

describe.each(databases.eachSupportedId())(
  'DatabaseVariableStore on %s',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const { environments } = await createEnvironmentsStores({
        database: mockServices.database({ knex }),
      });
      for (const name of ['dev', 'staging']) {
        await environments.create(
          {
            name,
            tier: 'development',
            promotionOrder: 10,
            owner: 'group:default/team-payments',
            target: { type: 'external' },
            protected: false,
          },
          'user:default/ada',
        );
      }
      return { knex, environments };
    }

    it('keeps plain values readable and secrets only encrypted', async () => {
      const { knex } = await setup();
      const store = new DatabaseVariableStore(
        knex,
        cipherOf({ id: 'k1', secret: key() }),
      );
      await store.set('dev', 'LOG_LEVEL', { value: 'debug' }, 'user:a');
      const secret = await store.set(
        'dev',
        'DB_PASSWORD',
        { value: 'hunter2', secret: true },
        'user:b',
      );
      expect(secret).toEqual({
        name: 'DB_PASSWORD',
        secret: true,
        updatedAt: expect.any(String),
        updatedBy: 'user:b',
      });
      expect(await store.list('dev')).toEqual([
        expect.objectContaining({ name: 'DB_PASSWORD', secret: true }),
        expect.objectContaining({
          name: 'LOG_LEVEL',
          value: 'debug',
          secret: false,
          updatedBy: 'user:a',
        }),
      ]);
      expect((await store.list('dev'))[0]).not.toHaveProperty('value');

      const rows = await knex('environment_variables').where({
        name: 'DB_PASSWORD',
      });
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain('hunter2');
      expect(rows[0]).toMatchObject({ value: null, key_id: 'k1' });
      expect(Buffer.from(rows[0].iv, 'base64')).toHaveLength(12);

      expect(await store.resolve('dev')).toEqual([
        { name: 'DB_PASSWORD', value: 'hunter2', secret: true },
        { name: 'LOG_LEVEL', value: 'debug', secret: false },
      ]);
      expect(await store.resolve('staging')).toEqual([]);
    });

    it('replaces a variable, secret or not, and deletes it', async () => {
      const { knex } = await setup();
      const store = new DatabaseVariableStore(
        knex,
        cipherOf({ id: 'k1', secret: key() }),
      );
      await store.set('dev', 'TOKEN', { value: 'a', secret: true }, 'user:a');
      await store.set('dev', 'TOKEN', { value: 'b' }, 'user:a');
      expect(await store.resolve('dev')).toEqual([
        { name: 'TOKEN', value: 'b', secret: false },
      ]);
      const row = await knex('environment_variables')
        .where({ name: 'TOKEN' })
        .first();
      expect(row).toMatchObject({ ciphertext: null, key_id: null, value: 'b' });
      await store.delete('dev', 'TOKEN');
      expect(await store.list('dev')).toEqual([]);
      await expect(store.delete('dev', 'TOKEN')).rejects.toThrow(NotFoundError);
    });

    it('goes with its environment', async () => {
      const { knex, environments } = await setup();
      const store = new DatabaseVariableStore(knex, undefined);
      await store.set('dev', 'A', { value: '1' }, 'user:a');
      await environments.delete('dev');
      expect(await knex('environment_variables')).toEqual([]);
    });

    it('stores plain variables without a key and refuses secrets, naming the config', async () => {
      const { knex } = await setup();
      const store = new DatabaseVariableStore(knex, undefined);
      await store.set('dev', 'A', { value: '1' }, 'user:a');
      await expect(
        store.set('dev', 'B', { value: '2', secret: true }, 'user:a'),
      ).rejects.toThrow(
        new ServiceUnavailableError(
          "Secrets cannot be stored or read: no encryption key is configured. Set environments.secrets.keys[0].id and .secret (the base64 of 32 random bytes, e.g. from 'openssl rand -base64 32')",
        ),
      );
      expect((await store.list('dev')).map(v => v.name)).toEqual(['A']);
    });

    it('refuses to resolve a secret whose key is gone or that was tampered with', async () => {
      const { knex } = await setup();
      const k1 = { id: 'k1', secret: key() };
      await new DatabaseVariableStore(knex, cipherOf(k1)).set(
        'dev',
        'S',
        { value: 'v', secret: true },
        'user:a',
      );
      const without = new DatabaseVariableStore(
        knex,
        cipherOf({ id: 'k2', secret: key() }),
      );
      await expect(without.resolve('dev')).rejects.toThrow(
        "Secret 'S' of environment 'dev' is encrypted under key 'k1', which is not configured in environments.secrets.keys",
      );
      // A row copied to another environment does not decrypt there.
      const row = await knex('environment_variables')
        .where({ name: 'S' })
        .first();
      await knex('environment_variables').insert({
        ...row,
        environment: 'staging',
      });
      await expect(
        new DatabaseVariableStore(knex, cipherOf(k1)).resolve('staging'),
      ).rejects.toThrow("Secret 'S' of environment 'staging' does not decrypt");
    });

    it('re-encrypts secrets under the current key, resumably, and keeps every value', async () => {
      const { knex } = await setup();
      const oldKey = { id: 'old', secret: key() };
      const newKey = { id: 'new', secret: key() };
      const before = new DatabaseVariableStore(knex, cipherOf(oldKey));
      for (let i = 0; i < 5; i++) {
        await before.set('dev', `S${i}`, { value: `v${i}`, secret: true }, 'u');
      }
      await before.set('dev', 'PLAIN', { value: 'p' }, 'u');

      const after = new DatabaseVariableStore(knex, cipherOf(newKey, oldKey));
      // A pass cut short: aborted before it starts, it changes nothing.
      const controller = new AbortController();
      controller.abort();
      const cut = await after.reencryptUnderCurrentKey(controller.signal);
      expect(cut).toMatchObject({ reencrypted: 0, byKey: { old: 5 } });

      // Someone sets a secret meanwhile: it is already under the new key.
      await after.set('dev', 'S0', { value: 'changed', secret: true }, 'u');
      const pass = await after.reencryptUnderCurrentKey();
      expect(pass).toEqual({
        reencrypted: 4,
        skipped: 0,
        failed: [],
        byKey: { new: 5 },
      });
      expect(await after.reencryptUnderCurrentKey()).toMatchObject({
        reencrypted: 0,
        byKey: { new: 5 },
      });

      const onlyNew = new DatabaseVariableStore(knex, cipherOf(newKey));
      expect(await onlyNew.resolve('dev')).toEqual([
        { name: 'PLAIN', value: 'p', secret: false },
        { name: 'S0', value: 'changed', secret: true },
        { name: 'S1', value: 'v1', secret: true },
        { name: 'S2', value: 'v2', secret: true },
        { name: 'S3', value: 'v3', secret: true },
        { name: 'S4', value: 'v4', secret: true },
      ]);
    });

    it('leaves a secret that does not decrypt as it is and reports it', async () => {
      const { knex } = await setup();
      const oldKey = { id: 'old', secret: key() };
      await new DatabaseVariableStore(knex, cipherOf(oldKey)).set(
        'dev',
        'S',
        { value: 'v', secret: true },
        'u',
      );
      const row = await knex('environment_variables')
        .where({ name: 'S' })
        .first();
      // Another key under the same id: it cannot decrypt what the first one wrote.
      const store = new DatabaseVariableStore(
        knex,
        cipherOf({ id: 'new', secret: key() }, { id: 'old', secret: key() }),
      );
      expect(await store.reencryptUnderCurrentKey()).toEqual({
        reencrypted: 0,
        skipped: 0,
        failed: [{ environment: 'dev', name: 'S', keyId: 'old' }],
        byKey: { old: 1 },
      });
      expect(
        await knex('environment_variables').where({ name: 'S' }).first(),
      ).toEqual(row);
    });
  },
);
