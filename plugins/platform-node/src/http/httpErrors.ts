import { CustomErrorBase } from '@backstage/errors';

// @backstage/errors has no classes for these three statuses. Backstage's
// error handler (MiddlewareFactory.error() in @backstage/backend-defaults)
// answers with an error's `statusCode` before it looks at the name, so a
// `statusCode` is all these need. It is a getter on the prototype, not an own
// field, so that serializeError leaves it out of `error` in the body, which
// already carries it as `response.statusCode`.

/**
 * The path exists but not with the request's method (405). Whoever throws it
 * sets the response's `Allow` header to the methods the path has.
 *
 * @public
 */
export class MethodNotAllowedError extends CustomErrorBase {
  name = 'MethodNotAllowedError' as const;
  get statusCode(): 405 {
    return 405;
  }
}

/**
 * The request body is larger than the API accepts (413).
 *
 * @public
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  get statusCode(): 413 {
    return 413;
  }
}

/**
 * The request body's media type, charset or encoding is not one the API
 * reads (415).
 *
 * @public
 */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  get statusCode(): 415 {
    return 415;
  }
}
