import { RequestValidator } from '@backstage/plugin-events-node';
import { verify } from '@octokit/webhooks-methods';
import { rejectUnauthenticated, singleHeader } from './rejection';

/** The header GitHub signs each delivery in, as GitHub spells it. */
export const GITHUB_SIGNATURE_HEADER = 'X-Hub-Signature-256';

/**
 * Checks GitHub's `X-Hub-Signature-256`, an HMAC-SHA256 of the raw body with
 * the webhook's secret. A missing, repeated, malformed or wrong signature is
 * answered 401 naming the header; the comparison is timing-safe
 * (`@octokit/webhooks-methods` `verify`).
 *
 * @public
 */
export function createGithubSignatureValidator(
  secret: string,
): RequestValidator {
  if (!secret) throw new TypeError('A GitHub webhook secret is required');
  return async (request, context) => {
    const header = singleHeader(request.headers, GITHUB_SIGNATURE_HEADER);
    if ('problem' in header) {
      rejectUnauthenticated(
        context,
        header.problem === 'missing'
          ? `Missing ${GITHUB_SIGNATURE_HEADER} header: sign the webhook with its secret`
          : `${GITHUB_SIGNATURE_HEADER} header sent more than once`,
      );
      return;
    }
    // verify() would read a `sha1=` value as a SHA-1 signature; this header
    // only ever carries SHA-256, and the weaker hash is not accepted here.
    const wellFormed = /^sha256=[0-9a-f]{64}$/.test(header.value);
    const body = request.raw.body.toString(request.raw.encoding);
    // verify() throws on an empty payload; GitHub never signs one.
    const valid =
      wellFormed && body.length > 0
        ? await verify(secret, body, header.value)
        : false;
    if (!valid) {
      rejectUnauthenticated(
        context,
        wellFormed
          ? `${GITHUB_SIGNATURE_HEADER} header does not match the body: the webhook's secret differs from the configured one`
          : `${GITHUB_SIGNATURE_HEADER} header is not of the form sha256=<64 hex digits>`,
      );
    }
  };
}
