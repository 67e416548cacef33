#!/usr/bin/env node
// Writes the client of a backend plugin's src/schema/openapi.yaml into its
// -common package (the common-library of the same pluginId), in the layout
// `backstage-repo-tools package schema openapi generate --client-package`
// produces:
//
//   src/schema/openapi/index.ts
//   src/schema/openapi/generated/index.ts, pluginId.ts
//   src/schema/openapi/generated/apis/index.ts, Api.client.ts  (DefaultApiClient)
//   src/schema/openapi/generated/models/index.ts, <Schema>.model.ts
//
// That command runs the openapi-generator Java jar, which cannot be had
// here. As in its templates (node_modules/@backstage/repo-tools/templates/
// typescript-backstage-client), DefaultApiClient has one method per
// operation, named by the camel-cased operationId, taking
// `{ path, query, body }` and `{ token }` and returning a TypedResponse of
// the success body; each component schema is a model, and so is an inline
// request body (<OperationId>Request) or response (<OperationId><status>Response).
// Where this differs: each method hands its request to OpenApiRequester of
// @internal/platform-common instead of carrying its own fetch code (one
// request helper for every generated client, which also turns a non-2xx
// response into a ResponseError), and objects nested inside a schema stay
// inline instead of becoming models of their own, and an object model is a
// type alias, not an interface. Model types are compiled by
// json-schema-to-typescript.
//
// Usage: node scripts/generate-openapi-client.mjs <backend-plugin-dir> [--check]
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { generatedBanner, writeGenerated } from './lib/generated-files.mjs';

const require = createRequire(import.meta.url);
const { parse } = require('yaml');
const { compile } = require('json-schema-to-typescript');

const [dirArg, flag] = process.argv.slice(2);
if (!dirArg) {
  console.error(
    'Usage: generate-openapi-client.mjs <backend-plugin-dir> [--check]',
  );
  process.exit(2);
}
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const backendDir = resolve(dirArg);
const specPath = join(backendDir, 'src/schema/openapi.yaml');
const spec = parse(readFileSync(specPath, 'utf8'));
const commonDir = commonPackageOf(backendDir);
const outDir = 'src/schema/openapi/generated';
const banner = generatedBanner(
  `${relative(repoRoot, specPath)} by scripts/generate-openapi-client.mjs`,
);

/** The -common package (common-library) of the backend's pluginId. */
function commonPackageOf(dir) {
  const pluginId = readJson(join(dir, 'package.json')).backstage?.pluginId;
  if (!pluginId) fail(`${dir}/package.json has no backstage.pluginId`);
  const pluginsDir = dirname(dir);
  const candidates = readdirSync(pluginsDir)
    .map(name => join(pluginsDir, name))
    .filter(candidate => {
      const file = join(candidate, 'package.json');
      if (!existsSync(file)) return false;
      const { backstage } = readJson(file);
      return (
        backstage?.role === 'common-library' && backstage.pluginId === pluginId
      );
    });
  if (candidates.length !== 1) {
    fail(
      `expected one common-library with pluginId '${pluginId}', found ${
        candidates.map(c => basename(c)).join(', ') || 'none'
      }`,
    );
  }
  if (spec.info?.title !== pluginId) {
    fail(`info.title of the spec is '${spec.info?.title}', not '${pluginId}'`);
  }
  return candidates[0];
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function fail(message) {
  console.error(`${dirArg}: ${message}`);
  process.exit(1);
}

const pascal = text =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join('');
const camel = text => {
  const name = pascal(text);
  return name[0].toLowerCase() + name.slice(1);
};

/** A TSDoc block of the given lines; `*\/` in the text cannot end it early. */
function tsdoc(lines, indent = '') {
  const body = lines
    .flatMap(line => String(line).split('\n'))
    .map(
      line => `${indent} *${line ? ` ${line.replace(/\*\//g, '*\\/')}` : ''}`,
    );
  return `${indent}/**\n${body.join('\n')}\n${indent} */\n`;
}

function resolveRef(ref) {
  const match = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
  if (!match) fail(`unsupported $ref ${ref}`);
  const target = spec.components?.[match[1]]?.[match[2]];
  if (!target) fail(`$ref ${ref} points nowhere`);
  return { kind: match[1], name: match[2], target };
}

const deref = node => (node?.$ref ? resolveRef(node.$ref).target : node);

// ---------------------------------------------------------------- models

/** name -> JSON schema of every model: component schemas, then inline ones. */
const models = new Map();
for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
  models.set(name, schema);
}
function addInlineModel(name, schema) {
  if (models.has(name)) {
    fail(`the inline model ${name} would replace the schema of that name`);
  }
  models.set(name, schema);
  return name;
}

/**
 * The TypeScript type of a schema used in a signature: a model's name for a
 * $ref, else a literal type of a scalar, enum or array. Names met are added
 * to `imports`.
 */
function typeOf(schema, imports, context) {
  if (schema.$ref) {
    const { kind, name } = resolveRef(schema.$ref);
    if (kind !== 'schemas') fail(`${context}: $ref to ${kind} in a schema`);
    imports.add(name);
    return name;
  }
  if (schema.enum) return schema.enum.map(v => JSON.stringify(v)).join(' | ');
  if (schema.oneOf || schema.anyOf) {
    return (schema.oneOf ?? schema.anyOf)
      .map(s => typeOf(s, imports, context))
      .join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${typeOf(schema.items ?? {}, imports, context)}>`;
    default:
      fail(`${context}: no inline type for ${JSON.stringify(schema)}`);
  }
}

/** A model's schema with each $ref to another model as a reference to its type. */
function withModelRefs(schema, imports) {
  if (Array.isArray(schema)) return schema.map(s => withModelRefs(s, imports));
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$ref) {
    const { kind, name } = resolveRef(schema.$ref);
    if (kind !== 'schemas') fail(`$ref to ${kind} inside a schema`);
    imports.add(name);
    return { tsType: name };
  }
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    // OpenAPI keywords json-schema-to-typescript does not know, and the
    // array bounds it would only copy into comments: the types are the same
    // without them.
    if (
      [
        'discriminator',
        'example',
        'xml',
        'externalDocs',
        'minItems',
        'maxItems',
      ].includes(key)
    ) {
      continue;
    }
    if (key === 'nullable') fail('nullable is not supported yet');
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              withModelRefs(v, imports),
            ]),
          )
        : withModelRefs(value, imports);
  }
  return copy;
}

async function modelSource(name, schema) {
  const imports = new Set();
  const { description, ...rest } = withModelRefs(schema, imports);
  imports.delete(name);
  const declaration = await compile({ ...rest, title: name }, name, {
    bannerComment: '',
    format: false,
    // openapi-generator's reading: without additionalProperties an object
    // has the properties it lists, not any others.
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    declareExternallyReferenced: false,
    unknownAny: true,
  });
  let declarations = declaration.trim();
  if (!declarations.startsWith(`export `)) {
    fail(`unexpected output for model ${name}: ${declarations.slice(0, 80)}`);
  }
  // A type alias where openapi-generator (and json-schema-to-typescript)
  // write an interface: an interface has no implicit index signature, so it
  // would not be assignable to JsonObject (scaffolder outputs) or to the
  // response types of the typed router, which the hand-written types this
  // replaces were.
  const asInterface = `export interface ${name} {`;
  if (declarations.startsWith(asInterface)) {
    if (!declarations.endsWith('}'))
      fail(`model ${name} does not end its interface`);
    declarations = `export type ${name} = {${declarations.slice(
      asInterface.length,
    )};`;
  }
  return `${banner}
${[...imports]
  .sort()
  .map(i => `import { ${i} } from './${i}.model';`)
  .join('\n')}

${tsdoc([...(description ? [description, ''] : []), '@public'])}${declarations}
`;
}

// ------------------------------------------------------------ operations

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const operations = [];
for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    if (!operation.operationId) fail(`${method} ${path} has no operationId`);
    const parameters = new Map();
    for (const parameter of [
      ...(item.parameters ?? []),
      ...(operation.parameters ?? []),
    ].map(deref)) {
      parameters.set(`${parameter.in}:${parameter.name}`, parameter);
    }
    operations.push({
      path,
      method,
      operation,
      parameters: [...parameters.values()],
    });
  }
}
operations.sort((a, b) =>
  a.operation.operationId.localeCompare(b.operation.operationId),
);

const clientImports = new Set();
const requestTypes = [];
const methods = [];
for (const { path, method, operation, parameters } of operations) {
  const id = operation.operationId;
  const typeName = pascal(id);
  const context = `${method} ${path}`;
  const fields = [];
  for (const place of ['path', 'query', 'header', 'cookie']) {
    const own = parameters.filter(p => p.in === place);
    if (!own.length) continue;
    if (place !== 'path' && place !== 'query') {
      fail(`${context}: ${place} parameters are not supported yet`);
    }
    const members = own.map(p => {
      if (!/^[A-Za-z_$][\w$]*$/.test(p.name)) {
        fail(`${context}: parameter name '${p.name}' is no identifier`);
      }
      const type = typeOf(p.schema ?? {}, clientImports, context);
      const doc = p.description ? tsdoc([p.description], '    ') : '';
      return `${doc}    ${p.name}${p.required ? '' : '?'}: ${type};`;
    });
    fields.push(`  ${place}: {\n${members.join('\n')}\n  };`);
  }
  const body = deref(operation.requestBody);
  if (body) {
    const schema = body.content?.['application/json']?.schema;
    if (!schema) fail(`${context}: a request body other than JSON`);
    const type = schema.$ref
      ? typeOf(schema, clientImports, context)
      : addInlineModel(`${typeName}Request`, schema);
    clientImports.add(type);
    fields.push(`  body: ${type};`);
  }
  requestTypes.push(
    `${tsdoc([
      `The parameters of {@link DefaultApiClient.${camel(id)}}.`,
      '',
      '@public',
    ])}export type ${typeName} = {${
      fields.length ? `\n${fields.join('\n')}\n` : ''
    }};`,
  );

  const returned = new Set();
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = deref(response).content?.['application/json']?.schema;
    if (!schema) continue;
    const type = schema.$ref
      ? typeOf(schema, clientImports, context)
      : addInlineModel(`${typeName}${status}Response`, schema);
    clientImports.add(type);
    returned.add(type);
  }
  const returnType = [...returned].join(' | ') || 'void';
  const description = [operation.summary, operation.description].filter(
    Boolean,
  );
  methods.push(`${tsdoc(
    [
      ...(description.length ? [...description.flatMap(d => [d, ''])] : []),
      `\`${method.toUpperCase()} ${path}\``,
    ],
    '  ',
  )}  public async ${camel(id)}(
    request: ${typeName},
    options?: RequestOptions,
  ): Promise<TypedResponse<${returnType}>> {
    return this.requester.request<${returnType}>('${method.toUpperCase()}', '${path}', request, options);
  }
`);
}

const clientSource = `${banner}
import {
  DiscoveryApi,
  FetchApi,
  OpenApiRequester,
  RequestOptions,
  TypedResponse,
} from '@internal/platform-common';
import { pluginId } from '../pluginId';
${[...clientImports]
  .sort()
  .map(i => `import { ${i} } from '../models/${i}.model';`)
  .join('\n')}

export type { RequestOptions, TypedResponse } from '@internal/platform-common';

${requestTypes.join('\n\n')}

${tsdoc([
  `A client of the ${spec.info.title} backend, one method per operation of its OpenAPI spec.`,
  'A response outside 2xx throws a `ResponseError`.',
  '',
  '@public',
])}export class DefaultApiClient {
  private readonly requester: OpenApiRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi?: FetchApi }) {
    this.requester = new OpenApiRequester({ pluginId, ...options });
  }

${methods.join('\n')}}
`;

// ---------------------------------------------------------------- output

const files = {
  'src/schema/openapi/index.ts': `${banner}
export * from './generated';
`,
  [`${outDir}/index.ts`]: `${banner}
export * from './apis';
export * from './models';
`,
  [`${outDir}/pluginId.ts`]: `${banner}
/** The plugin the client calls. @public */
export const pluginId = ${JSON.stringify(spec.info.title)};
`,
  [`${outDir}/apis/index.ts`]: `${banner}
export * from './Api.client';
`,
  [`${outDir}/apis/Api.client.ts`]: clientSource,
};
const modelNames = [...models.keys()].sort();
for (const name of modelNames) {
  files[`${outDir}/models/${name}.model.ts`] = await modelSource(
    name,
    models.get(name),
  );
}
files[`${outDir}/models/index.ts`] = `${banner}
${modelNames.map(name => `export * from './${name}.model';`).join('\n')}
`;

const check = flag === '--check';
const stale = await writeGenerated({
  root: commonDir,
  files,
  ownedDir: outDir,
  check,
});
const target = relative(repoRoot, commonDir);
if (stale.length) {
  console.error(
    `${target}: the client generated from ${relative(
      repoRoot,
      specPath,
    )} is out of date: ${stale.join(', ')}\n` +
      `Run: node scripts/generate-openapi-client.mjs ${dirArg}`,
  );
  process.exit(1);
}
console.log(
  `${target}: OpenAPI client ${check ? 'up to date' : 'written'} (${
    operations.length
  } operations, ${modelNames.length} models)`,
);
