import { Config } from '@backstage/config';
import { RequestValidator } from '@backstage/plugin-events-node';
import { createGithubSignatureValidator } from './githubSignatureValidator';
import { createGitlabTokenValidator } from './gitlabTokenValidator';

/** A webhook ingress to register: its topic and the check it gets. */
export interface SignedWebhookIngress {
  topic: 'github' | 'gitlab';
  validator: RequestValidator;
}

// The keys Backstage's own GitHub and GitLab event modules read, so that a
// configuration written for them keeps working unchanged.
const providers = [
  {
    topic: 'github',
    secretKey: 'events.modules.github.webhookSecret',
    create: createGithubSignatureValidator,
  },
  {
    topic: 'gitlab',
    secretKey: 'events.modules.gitlab.webhookSecret',
    create: createGitlabTokenValidator,
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
      ingresses.push({ topic, validator: create(secret) });
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
