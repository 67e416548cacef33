import { NotFoundError } from '@backstage/errors';
import {
  EnvironmentLock,
  EnvironmentLockRequest,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { toIso } from '@internal/platform-node';
import { LockStore } from './LockStore';

interface LockRow {
  id: string;
  environment: string;
  reason: string;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  released_at: Date | string | null;
  released_by: string | null;
}

function toLock(row: LockRow): EnvironmentLock {
  return {
    id: row.id,
    environment: row.environment,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    ...(row.expires_at ? { expiresAt: toIso(row.expires_at) } : {}),
  };
}

/** Locks on environments, in the plugin's database. */
export class DatabaseLockStore implements LockStore {
  constructor(private readonly db: Knex) {}

  /** Locks in force now: not released and not expired, oldest first. */
  async active(environment?: string): Promise<EnvironmentLock[]> {
    const now = new Date();
    const query = this.db<LockRow>('environment_locks')
      .whereNull('released_at')
      .where(q => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .orderBy('created_at', 'asc');
    if (environment) query.where({ environment });
    return (await query).map(toLock);
  }

  async lock(
    environment: string,
    request: EnvironmentLockRequest,
    actor: string,
  ): Promise<EnvironmentLock> {
    const id = randomUUID();
    await this.db<LockRow>('environment_locks').insert({
      id,
      environment,
      reason: request.reason,
      created_by: actor,
      created_at: new Date(),
      expires_at: request.expiresAt ? new Date(request.expiresAt) : null,
      released_at: null,
      released_by: null,
    });
    const row = await this.db<LockRow>('environment_locks')
      .where({ id })
      .first();
    return toLock(row!);
  }

  /** @throws NotFoundError when the lock is not active on the environment. */
  async release(environment: string, id: string, actor: string): Promise<void> {
    const released = await this.db<LockRow>('environment_locks')
      .where({ id, environment })
      .whereNull('released_at')
      .update({ released_at: new Date(), released_by: actor });
    if (released === 0) {
      throw new NotFoundError(
        `No active lock ${id} on environment '${environment}'`,
      );
    }
  }
}
