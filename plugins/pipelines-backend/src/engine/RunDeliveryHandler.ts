import { LoggerService } from '@backstage/backend-plugin-api';
import { Delivery } from '@internal/plugin-pipelines-common';
import { DeliveryHandler } from '../ingest/DeliveryHandler';
import { DeliveryStore } from '../store/DeliveryStore';
import { RunEngine } from './RunEngine';

/**
 * Turns each matched delivery into one queued run per component. Whether
 * the pipeline's triggers take the delivery is decided when the run starts,
 * from the definition at the delivered commit (a run they leave out ends as
 * cancelled, saying so). Idempotent: the store keeps one run per delivery
 * and component.
 */
export class RunDeliveryHandler implements DeliveryHandler {
  constructor(
    private readonly engine: RunEngine,
    private readonly logger: LoggerService,
  ) {}

  async handleDelivery(delivery: Delivery): Promise<void> {
    const trigger = delivery.trigger;
    if (!trigger || !delivery.repository?.url) {
      // A matched delivery always has both from GitHub and GitLab; without
      // them there is nothing to check out, and trying again cannot help.
      this.logger.warn(
        `Delivery ${delivery.id} starts no run: it has no ${
          trigger ? 'repository URL' : 'trigger'
        }`,
      );
      return;
    }
    let branch: string | undefined;
    if (trigger.type === 'push') branch = trigger.branch;
    if (trigger.type === 'pull_request') branch = trigger.headBranch;
    for (const component of delivery.components) {
      await this.engine.enqueue({
        component,
        repository: delivery.repository.slug,
        cloneUrl: delivery.repository.url,
        ref: delivery.ref,
        branch,
        commit: delivery.commit,
        defaultBranch: delivery.repository.defaultBranch,
        trigger: { ...trigger, deliveryId: delivery.id },
        deliveryId: delivery.id,
      });
    }
  }

  /**
   * Hands over what was recorded but not handed over (the backend stopped
   * in between), oldest first.
   */
  async catchUp(deliveries: DeliveryStore, logger: LoggerService) {
    for (;;) {
      const pending = await deliveries.listUnprocessed({ limit: 50 });
      if (pending.length === 0) return;
      for (const delivery of pending) {
        await this.handleDelivery(delivery);
        await deliveries.markProcessed(delivery.id);
      }
      logger.info(`Queued runs for ${pending.length} earlier deliveries`);
    }
  }
}
