import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  EnvironmentVariable,
  EnvironmentVariableInput,
} from '@internal/plugin-environments-common';
import { DeployVariable } from '@internal/plugin-environments-node';
import { Knex } from 'knex';
import {
  EncryptedValue,
  SECRET_KEYS_CONFIG_KEY,
  SecretCipher,
  UnknownSecretKeyError,
} from '../secrets/SecretCipher';
import { toIso } from '@internal/platform-node';
import { ReencryptionResult, VariableStore } from './VariableStore';

interface VariableRow {
  environment: string;
  name: string;
  secret: boolean | number;
  value: string | null;
  ciphertext: string | null;
  iv: string | null;
  auth_tag: string | null;
  key_id: string | null;
  updated_by: string;
  updated_at: Date | string;
}

/** What a secret's ciphertext is bound to: it decrypts nowhere else. */
function contextOf(row: { environment: string; name: string }): string {
  return `environments/${row.environment}/variables/${row.name}`;
}

function encryptedOf(row: VariableRow): EncryptedValue {
  return {
    keyId: row.key_id!,
    iv: row.iv!,
    ciphertext: row.ciphertext!,
    authTag: row.auth_tag!,
  };
}

function toVariable(row: VariableRow): EnvironmentVariable {
  const secret = Boolean(row.secret);
  return {
    name: row.name,
    ...(secret ? {} : { value: row.value ?? '' }),
    secret,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

/**
 * Variables of environments in the plugin's database. Secret values are
 * encrypted before they are written and decrypted only to hand them to a
 * deployer; nothing here returns or logs them otherwise.
 */
export class DatabaseVariableStore implements VariableStore {
  constructor(
    private readonly db: Knex,
    private readonly cipher: SecretCipher | undefined,
  ) {}

  /** The ids of the configured keys, the current one first. */
  get configuredKeyIds(): string[] {
    return this.cipher?.keyIds ?? [];
  }

  /** The variables of an environment by name, secrets without value. */
  async list(environment: string): Promise<EnvironmentVariable[]> {
    const rows = await this.db<VariableRow>('environment_variables')
      .where({ environment })
      .orderBy('name');
    return rows.map(toVariable);
  }

  /** One variable, secret without value, or undefined. */
  async find(
    environment: string,
    name: string,
  ): Promise<EnvironmentVariable | undefined> {
    const row = await this.db<VariableRow>('environment_variables')
      .where({ environment, name })
      .first();
    return row ? toVariable(row) : undefined;
  }

  /**
   * Creates or replaces a variable.
   * @throws ServiceUnavailableError for a secret when no key is configured.
   */
  async set(
    environment: string,
    name: string,
    input: EnvironmentVariableInput,
    actor: string,
  ): Promise<EnvironmentVariable> {
    const secret = input.secret ?? false;
    let columns: Pick<
      VariableRow,
      'value' | 'ciphertext' | 'iv' | 'auth_tag' | 'key_id'
    > = {
      value: input.value,
      ciphertext: null,
      iv: null,
      auth_tag: null,
      key_id: null,
    };
    if (secret) {
      const encrypted = this.requireCipher().encrypt(
        input.value,
        contextOf({ environment, name }),
      );
      columns = {
        value: null,
        ciphertext: encrypted.ciphertext,
        iv: encrypted.iv,
        auth_tag: encrypted.authTag,
        key_id: encrypted.keyId,
      };
    }
    const row: VariableRow = {
      environment,
      name,
      secret,
      ...columns,
      updated_by: actor,
      updated_at: new Date(),
    };
    await this.db<VariableRow>('environment_variables')
      .insert(row)
      .onConflict(['environment', 'name'])
      .merge();
    return toVariable(row);
  }

  /** @throws NotFoundError when there is no such variable. */
  async delete(environment: string, name: string): Promise<void> {
    const deleted = await this.db('environment_variables')
      .where({ environment, name })
      .delete();
    if (deleted === 0) {
      throw new NotFoundError(
        `Environment '${environment}' has no variable '${name}'`,
      );
    }
  }

  /**
   * The variables for a deployer, secrets decrypted.
   * @throws ServiceUnavailableError when a secret cannot be decrypted with the
   *   configured keys; nothing should be deployed without it.
   */
  async resolve(environment: string): Promise<DeployVariable[]> {
    const rows = await this.db<VariableRow>('environment_variables')
      .where({ environment })
      .orderBy('name');
    return rows.map(row => {
      if (!row.secret) {
        return { name: row.name, value: row.value ?? '', secret: false };
      }
      try {
        return {
          name: row.name,
          value: this.requireCipher().decrypt(encryptedOf(row), contextOf(row)),
          secret: true,
        };
      } catch (error) {
        if (error instanceof UnknownSecretKeyError) {
          throw new ServiceUnavailableError(
            `Secret '${row.name}' of environment '${environment}' is encrypted under key '${error.keyId}', which is not configured in ${SECRET_KEYS_CONFIG_KEY}`,
          );
        }
        if (error instanceof ServiceUnavailableError) throw error;
        // The crypto error says nothing useful and nothing secret; name the row.
        throw new ServiceUnavailableError(
          `Secret '${row.name}' of environment '${environment}' does not decrypt with key '${row.key_id}': it was changed outside the API or the key under that id is not the one that encrypted it`,
        );
      }
    });
  }

  /**
   * Re-encrypts, under the current key, every secret that an older
   * configured key encrypted. Row by row, each change conditional on the
   * row being unchanged since it was read: a pass that stops half-way loses
   * nothing and the next one carries on, and a secret set meanwhile is left
   * as it was set.
   */
  async reencryptUnderCurrentKey(
    signal?: AbortSignal,
  ): Promise<ReencryptionResult> {
    const result: ReencryptionResult = {
      reencrypted: 0,
      skipped: 0,
      failed: [],
      byKey: {},
    };
    const cipher = this.cipher;
    if (cipher) {
      const older = cipher.keyIds.filter(id => id !== cipher.currentKeyId);
      const candidates =
        older.length === 0
          ? []
          : await this.db<VariableRow>('environment_variables')
              .whereIn('key_id', older)
              .select('environment', 'name');
      for (const { environment, name } of candidates) {
        if (signal?.aborted) break;
        const row = await this.db<VariableRow>('environment_variables')
          .where({ environment, name })
          .first();
        if (!row || !row.secret || !older.includes(row.key_id!)) {
          result.skipped += 1;
          continue;
        }
        let plaintext: string;
        try {
          plaintext = cipher.decrypt(encryptedOf(row), contextOf(row));
        } catch {
          result.failed.push({ environment, name, keyId: row.key_id! });
          continue;
        }
        const encrypted = cipher.encrypt(plaintext, contextOf(row));
        const updated = await this.db<VariableRow>('environment_variables')
          .where({
            environment,
            name,
            key_id: row.key_id,
            ciphertext: row.ciphertext,
          })
          .update({
            ciphertext: encrypted.ciphertext,
            iv: encrypted.iv,
            auth_tag: encrypted.authTag,
            key_id: encrypted.keyId,
          });
        if (updated === 1) result.reencrypted += 1;
        else result.skipped += 1;
      }
    }
    const counts = await this.db('environment_variables')
      .whereNotNull('key_id')
      .groupBy('key_id')
      .select('key_id')
      .count({ count: '*' });
    for (const { key_id, count } of counts as Array<{
      key_id: string;
      count: string | number;
    }>) {
      result.byKey[key_id] = Number(count);
    }
    return result;
  }

  private requireCipher(): SecretCipher {
    if (!this.cipher) {
      throw new ServiceUnavailableError(
        `Secrets cannot be stored or read: no encryption key is configured. Set ${SECRET_KEYS_CONFIG_KEY}[0].id and .secret (the base64 of 32 random bytes, e.g. from 'openssl rand -base64 32')`,
      );
    }
    return this.cipher;
  }
}
