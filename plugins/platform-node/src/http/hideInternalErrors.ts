import { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';

// The @backstage/errors names Backstage's error handler answers with a
// status of their own: errors a route throws on purpose, with a message
// meant for the caller.
const DELIBERATE = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

function hasHttpStatus(error: { statusCode?: unknown; status?: unknown }) {
  return [error.statusCode, error.status].some(
    code => typeof code === 'number' && code >= 400 && code <= 599,
  );
}

/**
 * Express error middleware, after a platform backend's routes: an error that
 * carries no HTTP status and is not one of Backstage's own (a database
 * driver's, a TypeError) is logged with a log id and answered as
 * `An internal error occurred logId=...`, with neither its message nor its
 * stack. Backstage's error handler does this for PostgreSQL's
 * `DatabaseError` only; SQLite's error, for one, names the SQL it ran.
 *
 * @public
 */
export function hideInternalErrors(logger: LoggerService): ErrorRequestHandler {
  return (rawError, _req, _res, next) => {
    const error = toError(rawError);
    if (hasHttpStatus(error as object) || DELIBERATE.has(error.name)) {
      next(error);
      return;
    }
    const logId = randomBytes(10).toString('hex');
    logger.error(
      `Internal error logId=${logId}, left out of the response`,
      error,
    );
    const hidden = new Error(`An internal error occurred logId=${logId}`);
    // Not even in development: the stack would be this line's.
    delete hidden.stack;
    next(hidden);
  };
}
