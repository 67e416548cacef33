import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ScheduleStore } from '../store/ScheduleStore';
import { RunEngine } from './RunEngine';

/**
 * Queues a run for every scheduled trigger that is due, and moves each to
 * its next time. Returns the ids of the runs it queued.
 */
export async function fireDueSchedules(options: {
  schedules: ScheduleStore;
  engine: Pick<RunEngine, 'enqueue'>;
  logger: LoggerService;
  now?: Date;
}): Promise<string[]> {
  const { schedules, engine, logger } = options;
  const now = options.now ?? new Date();
  const queued: string[] = [];
  for (const schedule of await schedules.listDue(now)) {
    // Whoever moves the fire time on queues the run: a schedule fires once
    // per time even if two replicas look at once.
    if (!(await schedules.advance(schedule, now))) continue;
    try {
      const run = await engine.enqueue({
        component: schedule.component,
        repository: schedule.repository,
        cloneUrl: schedule.cloneUrl,
        ref: `refs/heads/${schedule.branch}`,
        branch: schedule.branch,
        defaultBranch: schedule.defaultBranch,
        trigger: {
          type: 'schedule',
          cron: schedule.cron,
          branch: schedule.branch,
        },
      });
      await schedules.setLastRun(schedule.id, run.id);
      queued.push(run.id);
    } catch (error) {
      // The next time comes round as usual; this one is lost, and said so.
      logger.error(
        `Could not queue the scheduled run '${schedule.cron}' of ${schedule.component} on ${schedule.branch}: ${error}`,
      );
    }
  }
  return queued;
}

/** Looks for due schedules every minute, on one replica at a time. */
export async function scheduleScheduledRuns(options: {
  scheduler: SchedulerService;
  schedules: ScheduleStore;
  engine: RunEngine;
  logger: LoggerService;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: 'pipelines-scheduled-runs',
    frequency: { cron: '* * * * *' },
    timeout: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      await fireDueSchedules(options);
    },
  });
}
