import { toIso } from '@internal/platform-node';
import { CronTime } from 'cron';
import { Knex } from 'knex';
import {
  ScheduleEntry,
  ScheduleRecord,
  ScheduleSource,
  ScheduleStore,
} from './ScheduleStore';

type Timestamp = Date | string | number;

interface ScheduleRow {
  id: number;
  component: string;
  cron: string;
  branch: string;
  repository: string | null;
  clone_url: string;
  default_branch: string | null;
  next_fire_at: Timestamp;
  last_fired_at: Timestamp | null;
  last_run_id: string | null;
  updated_at: Timestamp;
}

function toRecord(row: ScheduleRow): ScheduleRecord {
  return {
    id: Number(row.id),
    component: row.component,
    cron: row.cron,
    branch: row.branch,
    ...(row.repository ? { repository: row.repository } : {}),
    cloneUrl: row.clone_url,
    ...(row.default_branch ? { defaultBranch: row.default_branch } : {}),
    nextFireAt: toIso(row.next_fire_at)!,
    ...(row.last_fired_at ? { lastFiredAt: toIso(row.last_fired_at) } : {}),
    ...(row.last_run_id ? { lastRunId: row.last_run_id } : {}),
  };
}

/** When a cron expression (UTC) fires next after `after`. */
export function nextFireTime(cron: string, after: Date): Date {
  return new CronTime(cron, 'UTC').getNextDateFrom(after).toJSDate();
}

/** Scheduled triggers in the `schedules` table, on SQLite or PostgreSQL. */
export class DatabaseScheduleStore implements ScheduleStore {
  constructor(private readonly db: Knex) {}

  async replaceForComponent(
    component: string,
    entries: ScheduleEntry[],
    source: ScheduleSource,
    now = new Date(),
  ): Promise<void> {
    const wanted = new Map(
      entries.map(e => {
        const branch = e.branch ?? source.defaultBranch;
        return [`${e.cron}\u0000${branch}`, { cron: e.cron, branch }];
      }),
    );
    await this.db.transaction(async tx => {
      const existing = await tx<ScheduleRow>('schedules').where({ component });
      const kept = new Set<string>();
      for (const row of existing) {
        const key = `${row.cron}\u0000${row.branch}`;
        if (wanted.has(key)) {
          kept.add(key);
          // Every run of the default branch comes here: write only what moved.
          const moved =
            row.repository !== (source.repository ?? null) ||
            row.clone_url !== source.cloneUrl ||
            row.default_branch !== source.defaultBranch;
          if (moved) {
            await tx('schedules')
              .where({ id: row.id })
              .update({
                repository: source.repository ?? null,
                clone_url: source.cloneUrl,
                default_branch: source.defaultBranch,
                updated_at: now,
              });
          }
        } else {
          await tx('schedules').where({ id: row.id }).delete();
        }
      }
      for (const [key, entry] of wanted) {
        if (kept.has(key)) continue;
        await tx('schedules').insert({
          component,
          cron: entry.cron,
          branch: entry.branch,
          repository: source.repository ?? null,
          clone_url: source.cloneUrl,
          default_branch: source.defaultBranch,
          next_fire_at: nextFireTime(entry.cron, now),
          updated_at: now,
        });
      }
    });
  }

  async list(component?: string): Promise<ScheduleRecord[]> {
    const rows = await this.db<ScheduleRow>('schedules')
      .modify(q => (component ? q.where({ component }) : q))
      .orderBy([
        { column: 'component', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toRecord);
  }

  async listDue(now = new Date(), limit = 100): Promise<ScheduleRecord[]> {
    const rows = await this.db<ScheduleRow>('schedules')
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at', 'asc')
      .limit(limit);
    return rows.map(toRecord);
  }

  // Conditional on the fire time read: of callers racing for one time,
  // one changes the row.
  async advance(schedule: ScheduleRecord, now = new Date()): Promise<boolean> {
    const changed = await this.db('schedules')
      .where({ id: schedule.id, next_fire_at: new Date(schedule.nextFireAt) })
      .update({
        next_fire_at: nextFireTime(schedule.cron, now),
        last_fired_at: now,
      });
    return changed === 1;
  }

  async setLastRun(id: number, runId: string): Promise<void> {
    await this.db('schedules').where({ id }).update({ last_run_id: runId });
  }
}
