import { RequestValidator } from '@backstage/plugin-events-node';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { singleHeader } from './rejection';
import { validatorOf, WebhookCheck } from './webhookCheck';

/** The header GitHub signs each delivery in, as GitHub spells it. */
export const GITHUB_SIGNATURE_HEADER = 'X-Hub-Signature-256';

/**
 * Checks GitHub's `X-Hub-Signature-256`: `sha256=` and the HMAC-SHA256 of the
 * raw body bytes with the webhook's secret, compared timing-safe. A SHA-1
 * value is not accepted: this header only ever carries SHA-256.
 */
export function githubSignatureCheck(secret: string): WebhookCheck {
  if (!secret) throw new TypeError('A GitHub webhook secret is required');
  return (headers, rawBody) => {
    const header = singleHeader(headers, GITHUB_SIGNATURE_HEADER);
    if ('problem' in header) {
      return header.problem === 'missing'
        ? `Missing ${GITHUB_SIGNATURE_HEADER} header: sign the webhook with its secret`
        : `${GITHUB_SIGNATURE_HEADER} header sent more than once`;
    }
    const sent = /^sha256=([0-9a-f]{64})$/.exec(header.value);
    if (!sent) {
      return `${GITHUB_SIGNATURE_HEADER} header is not of the form sha256=<64 hex digits>`;
    }
    // Over the bytes as received: decoding and encoding them again could
    // change them (a charset, invalid UTF-8), and GitHub signs the bytes.
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return timingSafeEqual(expected, Buffer.from(sent[1], 'hex'))
      ? undefined
      : `${GITHUB_SIGNATURE_HEADER} header does not match the body: the webhook's secret differs from the configured one`;
  };
}

/**
 * Checks GitHub's `X-Hub-Signature-256`, an HMAC-SHA256 of the raw body with
 * the webhook's secret. A missing, repeated, malformed or wrong signature is
 * answered 401 naming the header; the comparison is timing-safe.
 *
 * @public
 */
export function createGithubSignatureValidator(
  secret: string,
): RequestValidator {
  return validatorOf(githubSignatureCheck(secret));
}
