import {
  EnvironmentVariable,
  EnvironmentVariableInput,
} from '@internal/plugin-environments-common';
import { DeployVariable } from '@internal/plugin-environments-node';

/** The outcome of one pass of re-encryption under the current key. */
export interface ReencryptionResult {
  /** Secrets now under the current key that were under an older one. */
  reencrypted: number;
  /** Secrets changed by someone else during the pass; the next pass sees them. */
  skipped: number;
  /** Secrets that did not decrypt (tampered with, or a wrong key under that id). */
  failed: Array<{ environment: string; name: string; keyId: string }>;
  /** Secrets per key id after the pass. */
  byKey: Record<string, number>;
}

/**
 * Persistence of environment variables. Secret values are stored encrypted
 * and come back decrypted only from `resolve`, for a deployer; nothing else
 * returns them.
 */
export interface VariableStore {
  /** The ids of the configured keys, the current one first. */
  readonly configuredKeyIds: string[];
  /** The variables of an environment by name, secrets without value. */
  list(environment: string): Promise<EnvironmentVariable[]>;
  /** One variable, secret without value, or undefined. */
  find(
    environment: string,
    name: string,
  ): Promise<EnvironmentVariable | undefined>;
  /**
   * Creates or replaces a variable.
   * @throws ServiceUnavailableError for a secret when no key is configured.
   */
  set(
    environment: string,
    name: string,
    input: EnvironmentVariableInput,
    actor: string,
  ): Promise<EnvironmentVariable>;
  /** @throws NotFoundError when there is no such variable. */
  delete(environment: string, name: string): Promise<void>;
  /**
   * The variables for a deployer, secrets decrypted.
   * @throws ServiceUnavailableError when a secret cannot be decrypted with
   *   the configured keys; nothing should be deployed without it.
   */
  resolve(environment: string): Promise<DeployVariable[]>;
  /**
   * Re-encrypts, under the current key, every secret an older configured
   * key encrypted; a pass cut short loses nothing.
   */
  reencryptUnderCurrentKey(signal?: AbortSignal): Promise<ReencryptionResult>;
}
