import { Config } from '@backstage/config';
import { RequestValidator } from '@backstage/plugin-events-node';
import { githubSignatureCheck } from './githubSignatureValidator';
import { gitlabTokenCheck } from './gitlabTokenValidator';
import { validatorOf, WebhookCheck } from './webhookCheck';

/**
 * A webhook ingress to register: its topic, the check of its signature or
 * token, and that check as the ingress' validator.
 *
 * @public
 */
export interface SignedWebhookIngress {
  topic: 'github' | 'gitlab';
  check: WebhookCheck;
  validator: RequestValidator;
}

// The keys Backstage's own GitHub and GitLab event modules read, so that a
// configuration written for them keeps working unchanged.
const providers = [
  {
    topic: 'github',
    secretKey: 'events.modules.github.webhookSecret',
    create: githubSignatureCheck,
  },
  {
    topic: 'gitlab',
    secretKey: 'events.modules.gitlab.webhookSecret',
    create: gitlabTokenCheck,
  },
] as const;

/**
 * The signed ingresses the configuration asks for. A provider's topic gets an
 * ingress when `events.http.topics` lists it or its secret is set. A listed
 * topic without a secret is a configuration error: the events backend would
 * otherwise accept unsigned requests on it, so this throws and the backend
 * does not start.
 *
 * @public
 */
export function readSignedWebhookIngresses(
  config: Config,
): SignedWebhookIngress[] {
  const topics = config.getOptionalStringArray('events.http.topics') ?? [];
  const ingresses: SignedWebhookIngress[] = [];
  for (const { topic, secretKey, create } of providers) {
    const secret = config.getOptionalString(secretKey);
    if (secret) {
      const check = create(secret);
      ingresses.push({ topic, check, validator: validatorOf(check) });
    } else if (topics.includes(topic)) {
      throw new Error(
        `events.http.topics lists '${topic}', but ${secretKey} is not set: ` +
          `POST /api/events/http/${topic} would accept unsigned requests. ` +
          `Set ${secretKey} to the webhook's secret, or remove '${topic}' from events.http.topics.`,
      );
    }
  }
  return ingresses;
}
