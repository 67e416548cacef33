import { InputError } from '@backstage/errors';
import { NextFunction, Request, RequestHandler, Response } from 'express';

type Schema = {
  $ref?: string;
  properties?: Record<string, unknown>;
  additionalProperties?: boolean | object;
};
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      { requestBody?: { content?: Record<string, { schema?: Schema }> } }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};

function resolve(spec: Spec, schema?: Schema): Schema | undefined {
  if (!schema?.$ref) return schema;
  return spec.components?.schemas?.[schema.$ref.split('/').pop()!];
}

/**
 * Express middleware that refuses a JSON request body with fields its
 * operation's schema does not know (`additionalProperties: false`), naming
 * them and the known ones. The OpenAPI validator refuses them too, but only
 * says "must NOT have additional properties"; a caller needs to know which
 * field to fix. Put it after `express.json()` in the middleware of the
 * plugin's OpenAPI router, so every plugin words this error alike.
 *
 * @param openApiSpec - the plugin's OpenAPI document, as its generated
 *   router module exports it (`spec`).
 * @public
 */
export function rejectUnknownBodyFields(openApiSpec: object): RequestHandler {
  const spec = openApiSpec as Spec;
  const matchers = Object.entries(spec.paths).map(([path, operations]) => ({
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    operations,
  }));
  return (req: Request, _res: Response, next: NextFunction) => {
    const body = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      next();
      return;
    }
    const method = req.method.toLowerCase();
    // A literal path such as /deployments/current also matches the pattern
    // of /deployments/{id}: the first path with this method is the one.
    const operation = matchers.find(
      m => m.pattern.test(req.path) && m.operations[method],
    )?.operations[method];
    const schema = resolve(
      spec,
      operation?.requestBody?.content?.['application/json']?.schema,
    );
    if (schema?.properties && schema.additionalProperties === false) {
      const known = Object.keys(schema.properties);
      const unknown = Object.keys(body).filter(key => !known.includes(key));
      if (unknown.length > 0) {
        next(
          new InputError(
            `request/body has unknown field${
              unknown.length > 1 ? 's' : ''
            } ${unknown
              .map(k => `'${k}'`)
              .join(', ')}; known fields are ${known.join(', ')}`,
          ),
        );
        return;
      }
    }
    next();
  };
}
