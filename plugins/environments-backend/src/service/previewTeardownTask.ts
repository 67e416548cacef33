import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { PreviewService } from './PreviewService';

/** The id of the scheduled task that tears down expired previews. */
export const PREVIEW_TTL_TASK_ID = 'environments-preview-ttl';

/**
 * Schedules the TTL task: on one replica at a time (scope global), it tears
 * down expired previews and retries failed tear-downs.
 */
export async function schedulePreviewTeardown(options: {
  previews: PreviewService;
  scheduler: SchedulerService;
  logger: LoggerService;
  frequency: HumanDuration;
}): Promise<void> {
  const { previews, scheduler, logger, frequency } = options;
  await scheduler.scheduleTask({
    id: PREVIEW_TTL_TASK_ID,
    scope: 'global',
    frequency,
    timeout: { minutes: 30 },
    fn: async () => {
      const { tornDown, failed } = await previews.tearDownExpired();
      if (tornDown.length || failed.length) {
        logger.info(
          `Preview TTL: tore down ${tornDown.length} expired preview(s)${
            failed.length
              ? `, ${failed.length} failed and wait for a retry`
              : ''
          }`,
        );
      }
    },
  });
}
