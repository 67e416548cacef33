import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  DeliveryProvider,
  DeliveryStatus,
} from '@internal/plugin-pipelines-common';
import {
  PROJECT_SLUG_ANNOTATIONS,
  RepositoryComponents,
} from '../catalog/RepositoryComponents';
import { DeliveryStore, RecordResult } from '../store/DeliveryStore';
import { DeliveryFacts } from './DeliveryFacts';
import { DeliveryHandler } from './DeliveryHandler';
import {
  deliveryIdOf,
  metadataHeader,
  payloadDigest,
} from './deliveryIdentity';
import { readGithubPayload } from './githubPayload';
import { readGitlabPayload } from './gitlabPayload';

/**
 * The topics the events backend's HTTP ingress publishes webhook requests
 * on (`events.http.topics`), once their signature or token has been checked
 * by the GitHub and GitLab event modules. Subscribing to these rather than
 * to the `github.push`-style topics those modules' routers re-publish on
 * sees every delivery exactly once, including payloads a router cannot
 * place (a GitLab payload without `object_kind`), and needs no router.
 */
export const INGRESS_TOPICS: Record<DeliveryProvider, string> = {
  github: 'github',
  gitlab: 'gitlab',
};

type Metadata = Record<string, string | string[] | undefined>;

/**
 * Records every webhook delivery from the events service: reads what it
 * says, maps its repository to catalog components, stores it once per
 * delivery id, audits it, and hands new matched deliveries to the run
 * engine's {@link DeliveryHandler}.
 */
export class DeliveryIngestor {
  constructor(
    private readonly options: {
      store: DeliveryStore;
      components: RepositoryComponents;
      auditor: AuditorService;
      logger: LoggerService;
      /** The run engine; without one, deliveries stay unprocessed. */
      handler?: DeliveryHandler;
    },
  ) {}

  async subscribe(events: EventsService): Promise<void> {
    await events.subscribe({
      id: 'deliveries',
      topics: Object.values(INGRESS_TOPICS),
      onEvent: async params => {
        await this.ingest(params);
      },
    });
  }

  async ingest(params: EventParams): Promise<RecordResult | undefined> {
    const provider = (Object.keys(INGRESS_TOPICS) as DeliveryProvider[]).find(
      p => INGRESS_TOPICS[p] === params.topic,
    );
    if (!provider) return undefined;
    const metadata = params.metadata as Metadata | undefined;
    const digest = payloadDigest(params.eventPayload);
    const deliveryId = deliveryIdOf(provider, metadata, digest);
    const facts =
      provider === 'github'
        ? readGithubPayload(
            metadataHeader(metadata, 'x-github-event'),
            params.eventPayload,
          )
        : readGitlabPayload(
            metadataHeader(metadata, 'x-gitlab-event'),
            params.eventPayload,
          );
    const { status, reason, components } = await this.match(provider, facts);

    const auditEvent = await this.options.auditor.createEvent({
      eventId: 'webhook-delivery',
      severityLevel: 'low',
      meta: { provider, deliveryId, event: facts.event },
    });
    let result: RecordResult;
    try {
      result = await this.options.store.record({
        provider,
        deliveryId,
        event: facts.event,
        action: facts.action,
        status,
        reason,
        repository: facts.repository,
        ref: facts.ref,
        commit: facts.commit,
        author: facts.author,
        sender: facts.sender,
        components,
        trigger:
          status === 'matched' || status === 'unmatched'
            ? facts.trigger
            : undefined,
        payloadDigest: digest,
        receivedAt: new Date(),
      });
    } catch (error) {
      // The ingress has answered 202 by the time subscribers fail, so the
      // log is the only trace of a delivery that could not be stored.
      this.options.logger.error(
        `Could not record ${provider} delivery ${deliveryId} (${facts.event})`,
        error as Error,
      );
      await auditEvent.fail({ error: error as Error });
      throw error;
    }
    const { delivery } = result;
    await auditEvent.success({
      meta: {
        id: delivery.id,
        status: delivery.status,
        duplicate: result.type === 'duplicate',
        ...(delivery.repository
          ? { repository: delivery.repository.slug }
          : {}),
        components: delivery.components,
      },
    });
    if (result.type === 'duplicate') {
      this.options.logger.info(
        `${provider} delivery ${deliveryId} arrived again (${delivery.redeliveries} redeliveries); recorded as delivery ${delivery.id}`,
      );
      return result;
    }
    if (delivery.status === 'matched' && this.options.handler) {
      try {
        await this.options.handler.handleDelivery(delivery);
        await this.options.store.markProcessed(delivery.id);
      } catch (error) {
        this.options.logger.error(
          `The run engine could not take delivery ${delivery.id}; it stays unprocessed`,
          error as Error,
        );
      }
    }
    return result;
  }

  /** The delivery's status, and its components when it has a trigger. */
  private async match(
    provider: DeliveryProvider,
    facts: DeliveryFacts,
  ): Promise<{
    status: DeliveryStatus;
    reason?: string;
    components: string[];
  }> {
    if (facts.outcome !== 'trigger' || !facts.repository) {
      return {
        status: facts.outcome === 'rejected' ? 'rejected' : 'ignored',
        reason: facts.reason,
        components: [],
      };
    }
    const { repository } = facts;
    try {
      const components = await this.options.components.find(
        provider,
        repository,
      );
      if (components.length > 0) {
        return { status: 'matched', components };
      }
      return {
        status: 'unmatched',
        reason: `no component in the catalog has the annotation ${
          PROJECT_SLUG_ANNOTATIONS[provider]
        }: ${repository.slug}${
          repository.url
            ? ` or a backstage.io/source-location in ${repository.url}`
            : ''
        }`,
        components: [],
      };
    } catch (error) {
      // Recorded all the same, with the reason, rather than lost.
      this.options.logger.error(
        `Could not look up ${repository.slug} in the catalog`,
        error as Error,
      );
      return {
        status: 'unmatched',
        reason: `the catalog could not be asked which component has ${
          repository.slug
        }: ${(error as Error).message}`,
        components: [],
      };
    }
  }
}
