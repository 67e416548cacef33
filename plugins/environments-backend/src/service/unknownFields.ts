import { InputError } from '@backstage/errors';
import { NextFunction, Request, Response } from 'express';

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
 * Names the unknown fields of a JSON request body. The OpenAPI validator
 * refuses them too, but only says "must NOT have additional properties";
 * a caller needs to know which field to fix.
 */
export function rejectUnknownBodyFields(openApiSpec: object) {
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
    const route = matchers.find(m => m.pattern.test(req.path));
    const operation = route?.operations[req.method.toLowerCase()];
    const schema = resolve(
      spec,
      operation?.requestBody?.content?.['application/json']?.schema,
    );
    if (schema?.properties && schema.additionalProperties === false) {
      const unknown = Object.keys(body).filter(
        key => !(key in schema.properties!),
      );
      if (unknown.length > 0) {
        next(
          new InputError(
            `request/body has unknown field${
              unknown.length > 1 ? 's' : ''
            } ${unknown
              .map(k => `'${k}'`)
              .join(', ')}; known fields are ${Object.keys(
              schema.properties,
            ).join(', ')}`,
          ),
        );
        return;
      }
    }
    next();
  };
}
