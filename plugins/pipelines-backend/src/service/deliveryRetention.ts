import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DeliveryStore } from '../store/DeliveryStore';

/** The id of the scheduled task that deletes old deliveries. */
export const DELIVERY_RETENTION_TASK_ID = 'pipelines-delivery-retention';

const RETENTION_KEY = 'pipelines.deliveries.retention';
const DEFAULT_RETENTION: HumanDuration = { days: 90 };

/** How long deliveries are kept, in milliseconds: `pipelines.deliveries.retention`, default 90 days. */
export function readDeliveryRetention(config: Config): number {
  const ms = config.has(RETENTION_KEY)
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: RETENTION_KEY }),
      )
    : durationToMilliseconds(DEFAULT_RETENTION);
  if (!(ms > 0)) {
    throw new Error(`${RETENTION_KEY} must be a positive duration`);
  }
  return ms;
}

/**
 * Schedules the deletion of deliveries older than the retention, hourly,
 * on one replica at a time (scope global).
 */
export async function scheduleDeliveryRetention(options: {
  deliveries: DeliveryStore;
  scheduler: SchedulerService;
  logger: LoggerService;
  retentionMs: number;
}): Promise<void> {
  const { deliveries, scheduler, logger, retentionMs } = options;
  await scheduler.scheduleTask({
    id: DELIVERY_RETENTION_TASK_ID,
    scope: 'global',
    frequency: { hours: 1 },
    initialDelay: { minutes: 1 },
    timeout: { minutes: 10 },
    fn: async () => {
      const deleted = await deliveries.deleteReceivedBefore(
        new Date(Date.now() - retentionMs),
      );
      if (deleted > 0) {
        logger.info(
          `Deleted ${deleted} webhook deliveries past their retention`,
        );
      }
    },
  });
}
