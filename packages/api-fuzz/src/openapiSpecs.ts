/*
 * The operations the fuzz pass exercises: every operation of every backend
 * plugin's spec (plugins/<plugin>/src/schema/openapi.yaml), with $refs
 * resolved, so that a new plugin family is fuzzed as soon as it has a spec.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/**
 * A JSON schema in OpenAPI 3.0's dialect with every $ref resolved. Where a
 * $ref named a component schema, `x-fuzz-ref` keeps its name: values seen
 * in responses at such a place are offered to requests wherever the same
 * schema is asked for (an EnvironmentName in a body, a path, a query).
 */
export type Schema = { [keyword: string]: any };

/** A path or query parameter. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** Reserved characters (`:`, `/`) go unencoded, as the spec allows. */
  allowReserved: boolean;
  schema: Schema;
}

/** One declared response: its JSON body's schema, if it has a body. */
export interface ResponseSpec {
  schema?: Schema;
}

/** One operation of a plugin's spec. */
export interface Operation {
  /** The plugin id: the spec's `info.title`, also its path under /api. */
  pluginId: string;
  /** The spec file, relative to the repository root. */
  specFile: string;
  operationId: string;
  method: string;
  /** The path template as the spec writes it, e.g. `/runs/{id}`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; schema: Schema };
  /** By status as the spec keys them: `200`, `4XX`, `default`. */
  responses: Map<string, ResponseSpec>;
  /**
   * The security requirements that apply (the operation's own, else the
   * spec's), with the names of schemes `components.securitySchemes` lacks.
   */
  security: { requirements: string[]; undefinedSchemes: string[] };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Resolves local `#/...` references, keeping component schema names. */
function resolveRefs(document: Schema) {
  const lookup = (ref: string): unknown => {
    if (!ref.startsWith('#/')) {
      throw new Error(`Only local $refs are supported, not '${ref}'`);
    }
    return ref
      .slice(2)
      .split('/')
      .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<any>((node, part) => {
        if (node === undefined || !(part in node)) {
          throw new Error(`$ref '${ref}' points at nothing`);
        }
        return node[part];
      }, document);
  };
  const resolve = (node: unknown, stack: string[] = []): any => {
    if (Array.isArray(node)) return node.map(item => resolve(item, stack));
    if (!node || typeof node !== 'object') return node;
    const ref = (node as Schema).$ref;
    if (typeof ref === 'string') {
      // A schema that contains itself would never end; no spec here has
      // one, and an unconstrained schema is the honest stand-in.
      if (stack.includes(ref)) return {};
      const target = resolve(lookup(ref), [...stack, ref]);
      const name = ref.match(/^#\/components\/schemas\/([^/]+)$/)?.[1];
      return name && target && typeof target === 'object'
        ? { ...target, 'x-fuzz-ref': name }
        : target;
    }
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, resolve(value, stack)]),
    );
  };
  return resolve;
}

function jsonSchemaOf(content: unknown): Schema | undefined {
  const json = (content as Schema | undefined)?.['application/json'];
  return json ? (json.schema as Schema | undefined) ?? {} : undefined;
}

/** The operations of one spec file. */
export function readSpec(root: string, specFile: string): Operation[] {
  const document = parse(readFileSync(join(root, specFile), 'utf8')) as Schema;
  const resolve = resolveRefs(document);
  const pluginId = document.info?.title;
  if (typeof pluginId !== 'string' || !pluginId) {
    throw new Error(`${specFile}: info.title (the plugin id) is missing`);
  }
  const schemes = Object.keys(document.components?.securitySchemes ?? {});
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries<Schema>(document.paths ?? {})) {
    const item = resolve(rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const byKey = new Map<string, Parameter>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        byKey.set(`${p.in}:${p.name}`, {
          name: p.name,
          in: p.in,
          required: p.in === 'path' || p.required === true,
          allowReserved: p.allowReserved === true,
          schema: p.schema ?? {},
        });
      }
      const bodySchema = jsonSchemaOf(op.requestBody?.content);
      if (op.requestBody && !bodySchema) {
        throw new Error(
          `${specFile}: ${op.operationId} has a request body that is not application/json, which the fuzz pass cannot generate`,
        );
      }
      const responses = new Map<string, ResponseSpec>();
      for (const [status, response] of Object.entries<Schema>(
        op.responses ?? {},
      )) {
        responses.set(status, { schema: jsonSchemaOf(response.content) });
      }
      const requirements = (
        (op.security ?? document.security ?? []) as Array<
          Record<string, unknown>
        >
      ).flatMap(requirement => Object.keys(requirement));
      operations.push({
        pluginId,
        specFile,
        operationId: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: [...byKey.values()],
        body: bodySchema
          ? { required: op.requestBody.required === true, schema: bodySchema }
          : undefined,
        responses,
        security: {
          requirements,
          undefinedSchemes: requirements.filter(s => !schemes.includes(s)),
        },
      });
    }
  }
  return operations;
}

/** Every operation of every `plugins/<plugin>/src/schema/openapi.yaml`. */
export function readAllSpecs(root: string): Operation[] {
  const plugins = join(root, 'plugins');
  return readdirSync(plugins)
    .sort()
    .map(plugin => join(plugins, plugin, 'src', 'schema', 'openapi.yaml'))
    .filter(file => existsSync(file))
    .flatMap(file => readSpec(root, relative(root, file)));
}

/** `GET /api/pipelines/runs/{id} (GetRun)`: how reports name an operation. */
export function operationTitle(op: Operation): string {
  return `${op.method} /api/${op.pluginId}${op.path} (${op.operationId})`;
}

/**
 * The response the spec declares for a status: the status itself, else its
 * range (`4XX`), else `default`.
 */
export function declaredResponse(
  op: Operation,
  status: number,
): ResponseSpec | undefined {
  return (
    op.responses.get(String(status)) ??
    op.responses.get(`${String(status)[0]}XX`) ??
    op.responses.get('default')
  );
}
