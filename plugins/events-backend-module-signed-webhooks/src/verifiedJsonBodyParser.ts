import { AuthenticationError, InputError } from '@backstage/errors';
import { HttpBodyParser } from '@backstage/plugin-events-node';
import { UnsupportedMediaTypeError } from '@internal/platform-node';
import { WebhookCheck } from './webhookCheck';

/**
 * The events backend's `application/json` body parser, in place of its own,
 * which parses before the ingress' validator runs: a body that is not JSON
 * was answered 500 with the parser's stack, to anyone, signed or not. This
 * one checks a signed topic's signature or token on the raw bytes first
 * (401, as the validator would), and only then parses: 400 for a body that
 * is empty or not JSON, on any topic, and 415 for a charset Node cannot
 * decode.
 *
 * @param checks - the check of each signed topic; other topics are parsed
 *   without one, as the events backend would.
 */
export function createVerifiedJsonBodyParser(
  checks: ReadonlyMap<string, WebhookCheck>,
): HttpBodyParser {
  return async (request, mediaType, topic) => {
    // The ingress reads bodies with express.raw, which leaves `{}` on a
    // request without one.
    const bodyBuffer = Buffer.isBuffer(request.body)
      ? request.body
      : Buffer.alloc(0);
    const problem = checks.get(topic)?.(request.headers, bodyBuffer);
    if (problem) throw new AuthenticationError(problem);

    const encoding = mediaType.parameters.charset ?? 'utf-8';
    if (!Buffer.isEncoding(encoding)) {
      throw new UnsupportedMediaTypeError(
        `Content-Type charset '${encoding}' is not supported; send utf-8`,
      );
    }
    const text = bodyBuffer.toString(encoding);
    if (text.trim() === '') {
      throw new InputError(
        'request body is empty: a webhook delivery is a JSON document',
      );
    }
    try {
      return { bodyParsed: JSON.parse(text), bodyBuffer, encoding };
    } catch (error) {
      throw new InputError(
        `request body is not valid JSON: ${(error as Error).message}`,
      );
    }
  };
}
