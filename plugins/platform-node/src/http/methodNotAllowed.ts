import { RequestHandler } from 'express';
import { MethodNotAllowedError } from './httpErrors';
import { OpenApiRoute } from './openApiRoutes';

/**
 * Answers a method the spec has no operation for on a path it has: 405 with
 * `Allow`, and OPTIONS with 204 and `Allow`. Without it, the validated
 * OpenAPI router lets such a request through to Express, which answers 404
 * with no body, and runs a HEAD as the path's GET without validating it.
 * Other paths are left to the router.
 */
export function methodNotAllowed(routes: OpenApiRoute[]): RequestHandler {
  return (req, res, next) => {
    const matching = routes.filter(route => route.match(req.path));
    if (matching.length === 0) {
      next();
      return;
    }
    const allowed = [...new Set(matching.flatMap(route => route.methods))];
    if (allowed.includes(req.method)) {
      next();
      return;
    }
    res.setHeader('Allow', allowed.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(
      new MethodNotAllowedError(
        `${req.method} is not allowed on ${req.path}; it allows ${allowed.join(
          ', ',
        )}`,
      ),
    );
  };
}
