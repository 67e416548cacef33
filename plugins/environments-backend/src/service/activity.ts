import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Deployment,
  ENVIRONMENTS_SIGNAL_CHANNEL,
  Environment,
  EnvironmentsChangeSignal,
  Promotion,
} from '@internal/plugin-environments-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';

/** The component's Environments tab, where notifications point. */
function tabLink(componentRef: string): string {
  const { kind, namespace, name } = parseEntityRef(componentRef);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}/environments`;
}

/**
 * Tells people about changes: a signal to every open page for live updates,
 * and a notification where someone has to act or should know (a promotion
 * waiting for approval, a failed deployment). Neither may fail the change
 * itself, so failures are logged.
 */
export class EnvironmentsActivity {
  constructor(
    private readonly options: {
      signals: SignalsService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  /** A deployment was created or moved on. */
  async deploymentChanged(deployment: Deployment): Promise<void> {
    await this.signal({
      kind: 'deployment',
      component: deployment.component,
      environment: deployment.environment,
      id: deployment.id,
      status: deployment.status,
    });
    if (deployment.status === 'failed') {
      // A component ref resolves to its owners' members.
      await this.notify(`deployment ${deployment.id} failed`, {
        recipients: { type: 'entity', entityRef: deployment.component },
        payload: {
          title: `Deployment of ${parseEntityRef(deployment.component).name} ${
            deployment.version
          } to ${deployment.environment} failed`,
          description: deployment.message ?? 'The deployer gave no reason.',
          link: tabLink(deployment.component),
          severity: 'high',
          topic: 'environments',
          scope: `deployment:${deployment.id}`,
        },
      });
    }
  }

  /** A promotion was requested or approved. */
  async promotionChanged(
    promotion: Promotion,
    target: Environment,
  ): Promise<void> {
    await this.signal({
      kind: 'promotion',
      component: promotion.component,
      environment: promotion.to,
      id: promotion.id,
      status: promotion.status,
    });
    if (promotion.status === 'awaiting_approval') {
      await this.notify(`promotion ${promotion.id} awaits approval`, {
        recipients: {
          type: 'entity',
          entityRef: target.approvers ?? [target.owner],
          excludeEntityRef: promotion.requestedBy,
        },
        payload: {
          title: `Approve ${parseEntityRef(promotion.component).name} ${
            promotion.version
          } into ${promotion.to}`,
          description: `${promotion.requestedBy} asks to promote it from ${promotion.from}. ${promotion.to} is protected and needs an approver other than the requester.`,
          link: tabLink(promotion.component),
          severity: 'high',
          topic: 'environments',
          scope: `promotion:${promotion.id}`,
        },
      });
    }
  }

  private async signal(message: EnvironmentsChangeSignal) {
    await this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: ENVIRONMENTS_SIGNAL_CHANNEL,
        message,
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not signal the change of ${message.kind} ${message.id}`,
          error,
        ),
      );
  }

  private async notify(
    what: string,
    notification: Parameters<NotificationService['send']>[0],
  ) {
    await this.options.notifications
      .send(notification)
      .catch(error =>
        this.options.logger.warn(
          `Could not send the notification that ${what}`,
          error,
        ),
      );
  }
}
