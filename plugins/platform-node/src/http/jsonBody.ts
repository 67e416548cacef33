import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './httpErrors';
import { OpenApiRoute, operationOf } from './openApiRoutes';

/** A body-parser error, with what it sets. */
type BodyParserError = Error & { type?: string; limit?: number };

/**
 * Parses the JSON request body of an operation that takes one, of at most
 * `limit`, and says in Backstage's error shape what is wrong with one that
 * cannot be read: 415 for a body that is not `application/json` (express.json
 * would leave it unparsed, and the validator would then judge an empty body),
 * 413 for one over the limit, 400 for one that is not JSON. A request
 * without a body passes; so does the body of an operation that takes none,
 * unread, as the spec has no word on it.
 */
export function jsonBody(
  routes: OpenApiRoute[],
  limit: string,
): RequestHandler {
  const parse = express.json({ limit, type: 'application/json' });
  return (req, res, next) => {
    if (!operationOf(routes, req)?.route.takesBody(req.method)) {
      next();
      return;
    }
    // Clients send `Content-Length: 0` with a POST that has no body, which
    // type-is counts as a body (of no type): that is no body to refuse.
    const hasContent =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (hasContent && !req.is('application/json')) {
      const type = req.headers['content-type'];
      next(
        new UnsupportedMediaTypeError(
          type
            ? `Content-Type '${type}' is not supported: send the request body as application/json`
            : 'Content-Type is missing: send the request body as application/json',
        ),
      );
      return;
    }
    parse(req, res, error => {
      if (!error) {
        next();
        return;
      }
      const failure = error as BodyParserError;
      switch (failure.type) {
        case 'entity.too.large':
          next(
            new PayloadTooLargeError(
              `request body is larger than ${limit}, the most this API accepts`,
            ),
          );
          return;
        case 'entity.parse.failed':
          next(
            new InputError(
              `request body is not valid JSON: ${failure.message}`,
            ),
          );
          return;
        case 'charset.unsupported':
          next(
            new UnsupportedMediaTypeError(
              `Content-Type charset is not supported: ${failure.message}; send utf-8`,
            ),
          );
          return;
        case 'encoding.unsupported':
          next(
            new UnsupportedMediaTypeError(
              `Content-Encoding is not supported: ${failure.message}; send gzip, deflate or none`,
            ),
          );
          return;
        default:
          // The others (an aborted request, a wrong Content-Length) carry
          // their 4xx status, which the error handler answers with.
          next(failure);
      }
    });
  };
}
