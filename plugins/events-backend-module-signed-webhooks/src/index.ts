/**
 * The events backend's GitHub and GitLab webhook ingresses, with signature
 * and token checks that answer 401.
 *
 * @packageDocumentation
 */
export { eventsModuleSignedWebhooks as default } from './module';
export {
  createGithubSignatureValidator,
  GITHUB_SIGNATURE_HEADER,
} from './githubSignatureValidator';
export {
  createGitlabTokenValidator,
  GITLAB_TOKEN_HEADER,
} from './gitlabTokenValidator';
export { readSignedWebhookIngresses } from './webhookIngresses';
export type { SignedWebhookIngress } from './webhookIngresses';
