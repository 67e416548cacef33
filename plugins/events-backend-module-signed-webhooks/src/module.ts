import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import { GitlabEventRouter } from '@backstage/plugin-events-backend-module-gitlab';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { readSignedWebhookIngresses } from './webhookIngresses';

/**
 * The GitHub and GitLab webhook ingresses of the events backend, in place of
 * Backstage's `events-backend-module-github` and `-gitlab`: the same secrets
 * and topics, but a missing or wrong signature or token is answered 401
 * (theirs answer 403) with the header's name, and a topic without a secret
 * stops the backend at start.
 *
 * Like those modules, it also re-publishes each delivery on the concrete
 * topic (`github.push`, `gitlab.merge_request`, ...) for subscribers that
 * listen there.
 *
 * @public
 */
export const eventsModuleSignedWebhooks = createBackendModule({
  pluginId: 'events',
  moduleId: 'signed-webhooks',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
        eventsExtension: eventsExtensionPoint,
      },
      async init({ config, logger, events, eventsExtension }) {
        for (const ingress of readSignedWebhookIngresses(config)) {
          eventsExtension.addHttpPostIngress(ingress);
          logger.info(
            `Webhook ingress '${ingress.topic}' checks its signature; a missing or wrong one is answered 401`,
          );
        }
        await new GithubEventRouter({ events }).subscribe();
        await new GitlabEventRouter({ events }).subscribe();
      },
    });
  },
});
