import { InputError } from '@backstage/errors';
import { RequestHandler } from 'express';
import { OpenApiRoute } from './openApiRoutes';

/**
 * Refuses an integer or number parameter whose value is not a finite number
 * (`limit=1e309`, `limit=Infinity`), naming it as the validator names its
 * parameters. The validator coerces such a value to `Infinity`, which ajv
 * counts as an integer and exempts from `minimum` and `maximum`, so it would
 * otherwise reach the route, and a query builder given `limit(Infinity)`
 * drops the limit.
 */
export function finiteNumberParameters(routes: OpenApiRoute[]): RequestHandler {
  return (req, _res, next) => {
    for (const route of routes) {
      const pathValues = route.match(req.path);
      if (!pathValues || !route.methods.includes(req.method)) continue;
      for (const parameter of route.numericParameters(req.method)) {
        const raw =
          parameter.in === 'path'
            ? pathValues[parameter.name]
            : (req.query[parameter.name] as string | string[] | undefined);
        const values = ([] as unknown[]).concat(raw ?? []);
        if (values.some(v => typeof v === 'string' && !isFinite(Number(v)))) {
          const where = parameter.in === 'path' ? 'params' : 'query';
          next(
            new InputError(
              `request/${where}/${parameter.name} must be ${parameter.type}`,
            ),
          );
          return;
        }
      }
      // The first route with the method is the operation meant.
      break;
    }
    next();
  };
}
