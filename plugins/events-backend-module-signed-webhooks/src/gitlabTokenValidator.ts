import { RequestValidator } from '@backstage/plugin-events-node';
import { createHash, timingSafeEqual } from 'node:crypto';
import { singleHeader } from './rejection';
import { validatorOf, WebhookCheck } from './webhookCheck';

/** The header GitLab sends the webhook's secret token in. */
export const GITLAB_TOKEN_HEADER = 'X-Gitlab-Token';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks GitLab's `X-Gitlab-Token`, the webhook's secret token sent as is.
 * Both sides are hashed before the timing-safe comparison, so neither the
 * time taken nor an early length check tells how long the secret is.
 */
export function gitlabTokenCheck(secret: string): WebhookCheck {
  if (!secret) throw new TypeError('A GitLab webhook secret is required');
  const expected = digest(secret);
  return headers => {
    const header = singleHeader(headers, GITLAB_TOKEN_HEADER);
    if ('problem' in header) {
      return header.problem === 'missing'
        ? `Missing ${GITLAB_TOKEN_HEADER} header: set the webhook's secret token`
        : `${GITLAB_TOKEN_HEADER} header sent more than once`;
    }
    return timingSafeEqual(digest(header.value), expected)
      ? undefined
      : `${GITLAB_TOKEN_HEADER} header does not match the configured secret token`;
  };
}

/**
 * Checks GitLab's `X-Gitlab-Token`. A missing, repeated or wrong token is
 * answered 401 naming the header.
 *
 * @public
 */
export function createGitlabTokenValidator(secret: string): RequestValidator {
  return validatorOf(gitlabTokenCheck(secret));
}
