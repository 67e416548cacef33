import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import { GitlabEventRouter } from '@backstage/plugin-events-backend-module-gitlab';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { requireJsonContentType } from './jsonContentType';
import { createVerifiedJsonBodyParser } from './verifiedJsonBodyParser';
import { readSignedWebhookIngresses } from './webhookIngresses';

/**
 * The GitHub and GitLab webhook ingresses of the events backend, in place of
 * Backstage's `events-backend-module-github` and `-gitlab`: the same secrets
 * and topics, but a missing or wrong signature or token is answered 401
 * (theirs answer 403) with the header's name, and a topic without a secret
 * stops the backend at start.
 *
 * The signature or token is checked on the raw body before the body is
 * parsed (the events backend's own JSON parser runs before the validator and
 * answers a body that is not JSON 500): this module's `application/json`
 * parser checks first, then parses, answering 400 for a signed body that is
 * not JSON; a missing or other `Content-Type` is answered 415.
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
        httpRouter: coreServices.httpRouter,
        events: eventsServiceRef,
        eventsExtension: eventsExtensionPoint,
      },
      async init({ config, logger, httpRouter, events, eventsExtension }) {
        const ingresses = readSignedWebhookIngresses(config);
        for (const { topic, validator } of ingresses) {
          // The validator checks again what the parser below has checked,
          // so the ingress stays signed should another module replace the
          // parser.
          eventsExtension.addHttpPostIngress({ topic, validator });
          logger.info(
            `Webhook ingress '${topic}' checks its signature; a missing or wrong one is answered 401`,
          );
        }
        eventsExtension.addHttpPostBodyParser({
          contentType: 'application/json',
          parser: createVerifiedJsonBodyParser(
            new Map(ingresses.map(({ topic, check }) => [topic, check])),
          ),
        });
        // A module's routes come before its plugin's: this runs before the
        // events backend's ingress router.
        httpRouter.use(requireJsonContentType(ingresses.map(i => i.topic)));
        await new GithubEventRouter({ events }).subscribe();
        await new GitlabEventRouter({ events }).subscribe();
      },
    });
  },
});
