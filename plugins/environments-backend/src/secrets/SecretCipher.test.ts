import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { SecretCipher, UnknownSecretKeyError } from './SecretCipher';

const key = () => randomBytes(32).toString('base64');

function cipherFrom(keys: JsonValue | undefined) {
  return SecretCipher.fromConfig(
    new ConfigReader({ environments: { secrets: { keys } } }),
    mockServices.logger.mock(),
  );
}

describe('SecretCipher', () => {
  it('encrypts with a fresh IV each time and decrypts in the same context', () => {
    const cipher = cipherFrom([{ id: 'k1', secret: key() }])!;
    const a = cipher.encrypt('hunter2', 'env/dev/DB');
    const b = cipher.encrypt('hunter2', 'env/dev/DB');
    expect(a.keyId).toBe('k1');
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.authTag, 'base64')).toHaveLength(16);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('hunter2');
    expect(cipher.decrypt(a, 'env/dev/DB')).toBe('hunter2');
  });

  it('refuses a ciphertext in another context or tampered with', () => {
    const cipher = cipherFrom([{ id: 'k1', secret: key() }])!;
    const value = cipher.encrypt('hunter2', 'env/dev/DB');
    expect(() => cipher.decrypt(value, 'env/prod/DB')).toThrow();
    const flipped = Buffer.from(value.ciphertext, 'base64');
    flipped[0] ^= 1;
    expect(() =>
      cipher.decrypt(
        { ...value, ciphertext: flipped.toString('base64') },
        'env/dev/DB',
      ),
    ).toThrow();
    expect(() =>
      cipher.decrypt(
        { ...value, authTag: value.authTag.slice(0, 8) },
        'env/dev/DB',
      ),
    ).toThrow();
  });

  it('encrypts with the first key and decrypts with any listed key', () => {
    const oldKey = key();
    const before = cipherFrom([{ id: 'old', secret: oldKey }])!;
    const value = before.encrypt('s3cret', 'ctx');
    const after = cipherFrom([
      { id: 'new', secret: key() },
      { id: 'old', secret: oldKey },
    ])!;
    expect(after.currentKeyId).toBe('new');
    expect(after.decrypt(value, 'ctx')).toBe('s3cret');
    expect(after.encrypt('x', 'ctx').keyId).toBe('new');
    const without = cipherFrom([{ id: 'new', secret: key() }])!;
    expect(() => without.decrypt(value, 'ctx')).toThrow(UnknownSecretKeyError);
  });

  it('is absent without keys, and leaves out keys without a secret', () => {
    expect(cipherFrom(undefined)).toBeUndefined();
    const logger = mockServices.logger.mock();
    expect(
      SecretCipher.fromConfig(
        new ConfigReader({
          environments: { secrets: { keys: [{ id: 'local' }] } },
        }),
        logger,
      ),
    ).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("environments.secrets.keys[0] ('local')"),
    );
  });

  it.each([
    [[{ id: 'k', secret: 'c2hvcnQ=' }], 'base64 of 32 random bytes'],
    [[{ id: 'k', secret: 'not base64 at all!' }], 'base64 of 32 random bytes'],
    [[{ id: 'bad id', secret: key() }], 'keys[0].id must be'],
    [
      [
        { id: 'k', secret: key() },
        { id: 'k', secret: key() },
      ],
      "keys[1].id 'k' is listed twice",
    ],
  ])('stops the start-up on malformed keys %#', (keys, message) => {
    expect(() => cipherFrom(keys)).toThrow(message);
  });
});
