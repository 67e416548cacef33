import { InputError } from '@backstage/errors';
import { RequestHandler } from 'express';
import { NumericParameter, OpenApiRoute, operationOf } from './openApiRoutes';

const INTEGER = /^-?[0-9]+$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** Whether a parameter's text is a number of its type, written as one. */
function isWritten(value: string, type: NumericParameter['type']): boolean {
  return (
    (type === 'integer' ? INTEGER : NUMBER).test(value) &&
    Number.isFinite(Number(value))
  );
}

/**
 * Refuses an integer or number parameter that is not written as one:
 * digits with an optional minus for an integer (a decimal for a number), of
 * a finite value. It names the parameter as the validator does. The
 * validator coerces the text as `Number()` does, so `' 1'`, `'+1'`, `'0x10'`,
 * `' '` and `'1e3'` would pass as integers, and `'1e309'`, `'Infinity'` or
 * 400 digits as `Infinity`, which ajv counts as an integer and exempts from
 * `minimum` and `maximum`: a query builder given `limit(Infinity)` drops the
 * limit.
 */
export function numberParameters(routes: OpenApiRoute[]): RequestHandler {
  return (req, _res, next) => {
    const operation = operationOf(routes, req);
    if (operation) {
      const { route, pathValues } = operation;
      for (const parameter of route.numericParameters(req.method)) {
        const raw =
          parameter.in === 'path'
            ? pathValues[parameter.name]
            : (req.query[parameter.name] as string | string[] | undefined);
        const values = ([] as unknown[]).concat(raw ?? []);
        const wrong = values.some(
          value =>
            typeof value === 'string' &&
            !isWritten(
              parameter.in === 'path' ? safeDecode(value) : value,
              parameter.type,
            ),
        );
        if (wrong) {
          const where = parameter.in === 'path' ? 'params' : 'query';
          next(
            new InputError(
              `request/${where}/${parameter.name} must be ${parameter.type}`,
            ),
          );
          return;
        }
      }
    }
    next();
  };
}

/** A path segment as Express gives it, still percent-encoded. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
