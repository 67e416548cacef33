import {
  EnvironmentLock,
  EnvironmentLockRequest,
} from '@internal/plugin-environments-common';

/** Persistence of locks on environments; released locks are kept as the record of freezes. */
export interface LockStore {
  /** Locks in force now: not released and not expired, oldest first. */
  active(environment?: string): Promise<EnvironmentLock[]>;
  lock(
    environment: string,
    request: EnvironmentLockRequest,
    actor: string,
  ): Promise<EnvironmentLock>;
  /** @throws NotFoundError when the lock is not active on the environment. */
  release(environment: string, id: string, actor: string): Promise<void>;
}
