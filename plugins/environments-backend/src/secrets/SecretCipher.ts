import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The config key under which the encryption keys of secrets are listed. */
export const SECRET_KEYS_CONFIG_KEY = 'environments.secrets.keys';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KEY_BYTES = 32;
const AUTH_TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** A secret value as it is stored: never the plain text. */
export interface EncryptedValue {
  /** Which configured key encrypted it. */
  keyId: string;
  /** Base64 of the 12-byte initialisation vector, random per value. */
  iv: string;
  /** Base64 of the ciphertext. */
  ciphertext: string;
  /** Base64 of the 16-byte GCM authentication tag. */
  authTag: string;
}

/** Thrown when a value was encrypted under a key that is not configured. */
export class UnknownSecretKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `A secret is encrypted under key '${keyId}', which is not in ${SECRET_KEYS_CONFIG_KEY}; add the key back to read it`,
    );
    this.name = 'UnknownSecretKeyError';
  }
}

/**
 * AES-256-GCM encryption of secret values under keys from config. The first
 * key encrypts; every key decrypts, so a key is rotated by putting a new one
 * first and keeping the old one until nothing is encrypted under it any more.
 *
 * The additional authenticated data binds a ciphertext to where it belongs
 * (environment and variable name), so a row copied elsewhere does not
 * decrypt.
 */
export class SecretCipher {
  /**
   * The cipher for the configured keys, or undefined when none is
   * configured (then secrets cannot be stored, plain variables still can).
   * Keys listed without a secret (an unset environment variable) are left
   * out with a warning; a malformed key stops the start-up.
   */
  static fromConfig(
    config: Config,
    logger: LoggerService,
  ): SecretCipher | undefined {
    const entries = config.getOptionalConfigArray(SECRET_KEYS_CONFIG_KEY) ?? [];
    const keys = new Map<string, Buffer>();
    entries.forEach((entry, index) => {
      const at = `${SECRET_KEYS_CONFIG_KEY}[${index}]`;
      const id = entry.getString('id');
      if (!KEY_ID_PATTERN.test(id)) {
        throw new Error(
          `${at}.id must be 1-64 letters, digits, '.', '_' or '-', got '${id}'`,
        );
      }
      if (keys.has(id)) {
        throw new Error(`${at}.id '${id}' is listed twice`);
      }
      const secret = entry.getOptionalString('secret');
      if (!secret) {
        logger.warn(
          `${at} ('${id}') has no secret, so it is not used; secrets encrypted under it cannot be read`,
        );
        return;
      }
      const key = Buffer.from(secret, 'base64');
      if (key.length !== KEY_BYTES || key.toString('base64') !== secret) {
        throw new Error(
          `${at}.secret must be the base64 of ${KEY_BYTES} random bytes (e.g. the output of 'openssl rand -base64 32'); the one for '${id}' is not`,
        );
      }
      keys.set(id, key);
    });
    return keys.size > 0 ? new SecretCipher(keys) : undefined;
  }

  private readonly currentId: string;

  /** @param keys - by id, the first one encrypts. */
  constructor(private readonly keys: Map<string, Buffer>) {
    const [first] = keys.keys();
    if (!first) throw new Error('SecretCipher needs at least one key');
    for (const [id, key] of keys) {
      if (key.length !== KEY_BYTES) {
        throw new Error(`Key '${id}' is not ${KEY_BYTES} bytes`);
      }
    }
    this.currentId = first;
  }

  /** The id of the key new values are encrypted under. */
  get currentKeyId(): string {
    return this.currentId;
  }

  /** The ids of every key that can decrypt. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Encrypts under the current key with a fresh random IV. */
  encrypt(plaintext: string, context: string): EncryptedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(
      ALGORITHM,
      this.keys.get(this.currentId)!,
      iv,
      { authTagLength: AUTH_TAG_BYTES },
    );
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return {
      keyId: this.currentId,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      authTag: cipher.getAuthTag().toString('base64'),
    };
  }

  /**
   * Decrypts and authenticates a stored value.
   * @throws UnknownSecretKeyError when its key is not configured, and an
   *   error when it was tampered with or belongs to another context.
   */
  decrypt(value: EncryptedValue, context: string): string {
    const key = this.keys.get(value.keyId);
    if (!key) throw new UnknownSecretKeyError(value.keyId);
    const decipher = createDecipheriv(
      ALGORITHM,
      key,
      Buffer.from(value.iv, 'base64'),
      // A fixed tag length: a truncated tag is refused, not checked shorter.
      { authTagLength: AUTH_TAG_BYTES },
    );
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(value.authTag, 'base64'));
    return Buffer.concat([
      decipher.update(Buffer.from(value.ciphertext, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  }
}
