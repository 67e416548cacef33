/** What the request guards read of an OpenAPI 3 document. */
type Schema = { $ref?: string; type?: string };
type Parameter = { $ref?: string; name?: string; in?: string; schema?: Schema };
type Document = {
  paths: Record<string, Record<string, unknown>>;
  components?: {
    parameters?: Record<string, Parameter>;
    schemas?: Record<string, Schema>;
  };
};

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** A parameter whose schema is a number, as the request carries it. */
export type NumericParameter = {
  name: string;
  in: 'path' | 'query';
  type: 'integer' | 'number';
};

/** One path of an OpenAPI document, matched against request paths. */
export type OpenApiRoute = {
  /** As the document writes it, e.g. `/runs/{id}`. */
  path: string;
  /** The methods it has operations for, upper-case. */
  methods: string[];
  /** Its path parameters' raw values in a request path, or undefined when the path is not this one. */
  match(requestPath: string): Record<string, string> | undefined;
  /** The integer and number parameters of the operation for a method. */
  numericParameters(method: string): NumericParameter[];
  /** Whether the operation for a method takes a request body. */
  takesBody(method: string): boolean;
};

/**
 * The operation a request is for: the first route (most literal first) with
 * its path and method, and the path parameters' raw values.
 */
export function operationOf(
  routes: OpenApiRoute[],
  request: { method: string; path: string },
): { route: OpenApiRoute; pathValues: Record<string, string> } | undefined {
  for (const route of routes) {
    const pathValues = route.match(request.path);
    if (pathValues && route.methods.includes(request.method)) {
      return { route, pathValues };
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
}

function lastSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * The paths of an OpenAPI document, most literal first: where two match a
 * request path (`/deployments/current` and `/deployments/{id}`), the one
 * with fewer parameters is the operation meant, as Express routes it.
 */
export function openApiRoutes(openApiSpec: object): OpenApiRoute[] {
  const spec = openApiSpec as Document;
  const resolveParameter = (p: Parameter): Parameter =>
    p.$ref ? spec.components?.parameters?.[lastSegment(p.$ref)] ?? {} : p;
  const resolveSchema = (s?: Schema): Schema | undefined =>
    s?.$ref ? spec.components?.schemas?.[lastSegment(s.$ref)] : s;

  const routes = Object.entries(spec.paths).map(([path, item]) => {
    const names: string[] = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map(part => {
        if (!part.startsWith('{')) return escapeRegExp(part);
        names.push(part.slice(1, -1));
        return '([^/]+)';
      })
      .join('');
    // Express routes `/runs/` as `/runs` (non-strict routing).
    const pattern = new RegExp(`^${source}/?$`);
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    return {
      path,
      names,
      methods: Object.keys(item)
        .filter(key => HTTP_METHODS.includes(key))
        .map(key => key.toUpperCase()),
      match(requestPath: string) {
        const found = pattern.exec(requestPath);
        return found
          ? Object.fromEntries(names.map((name, i) => [name, found[i + 1]]))
          : undefined;
      },
      takesBody(method: string): boolean {
        const operation = item[method.toLowerCase()] as
          | { requestBody?: unknown }
          | undefined;
        return Boolean(operation?.requestBody);
      },
      numericParameters(method: string): NumericParameter[] {
        const operation = item[method.toLowerCase()] as
          | { parameters?: Parameter[] }
          | undefined;
        if (!operation) return [];
        return [...shared, ...(operation.parameters ?? [])]
          .map(resolveParameter)
          .flatMap(p => {
            const type = resolveSchema(p.schema)?.type;
            return p.name &&
              (p.in === 'path' || p.in === 'query') &&
              (type === 'integer' || type === 'number')
              ? [{ name: p.name, in: p.in, type }]
              : [];
          });
      },
    };
  });
  return routes.sort((a, b) => a.names.length - b.names.length);
}
