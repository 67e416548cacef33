/*
 * Requests for an operation: valid ones built from its schemas, and the
 * same requests broken in one place (a parameter, a body property, the
 * body's encoding or content type). Whether a request is valid is decided
 * afterwards by the spec alone (requestInvalidity), not by how it was built.
 */
import fc from 'fast-check';
import { KnownValues } from './knownValues';
import { Operation, Parameter, Schema } from './openapiSpecs';
import { valueArbitrary } from './schemaArbitraries';
import { parameterValueValid, schemaErrors } from './specValidation';

/** One generated request, before it is sent. */
export interface FuzzRequest {
  /** `valid`, or where and how it was broken: `query limit: number edge`. */
  label: string;
  /** Path parameter values, decoded; encoded when sent. */
  pathParams: Record<string, string>;
  /** Query parameters, decoded, in order. */
  query: Array<[string, string]>;
  /** The body as sent, and its Content-Type header (absent: none sent). */
  body?: string;
  contentType?: string;
  /** `latin1` sends the body's characters as single bytes (not UTF-8). */
  bodyEncoding?: 'utf8' | 'latin1';
}

type Mutation = (request: FuzzRequest) => FuzzRequest;

/** Path and query text as a parameter carries it. */
export function parameterText(value: unknown): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    // 1.08e19 as the digits an integer parameter is written with.
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why the spec rejects the request, or undefined when it is valid: every
 * required parameter present, every value valid for its schema, the body
 * JSON (UTF-8, `application/json`) matching its schema.
 */
export function requestInvalidity(
  op: Operation,
  request: FuzzRequest,
): string | undefined {
  for (const param of op.parameters) {
    let values: string[] = [];
    if (param.in === 'path') {
      values = [request.pathParams[param.name]].filter(v => v !== undefined);
    } else if (param.in === 'query') {
      values = request.query
        .filter(([n]) => n === param.name)
        .map(([, v]) => v);
    }
    if (param.required && values.length === 0) {
      return `${param.in} parameter ${param.name} is required`;
    }
    if (values.length > 1 && param.schema.type !== 'array') {
      return `${param.in} parameter ${param.name} is given ${values.length} times`;
    }
    for (const value of values) {
      // A lone surrogate goes out as bytes that are not UTF-8: a path
      // segment then cannot be decoded at all, while a query parser keeps
      // such text as it came, a valid if odd string.
      if (param.in === 'path' && LONE_SURROGATE.test(value)) {
        return `${param.in} parameter ${param.name} is not encodable as UTF-8`;
      }
      if (!parameterValueValid(param, value)) {
        return `${param.in} parameter ${param.name} does not match its schema`;
      }
    }
  }
  if (!op.body) return undefined;
  if (request.body === undefined || request.body === '') {
    return op.body.required ? 'the request body is required' : undefined;
  }
  const mediaType = request.contentType?.toLowerCase().replace(/\s/g, '');
  if (
    mediaType !== 'application/json' &&
    mediaType !== 'application/json;charset=utf-8'
  ) {
    return `the body's content type is ${
      request.contentType ?? 'missing'
    }, not application/json`;
  }
  if (
    request.bodyEncoding === 'latin1' &&
    [...request.body].some(char => char.charCodeAt(0) > 0x7f)
  ) {
    return 'the body is not UTF-8';
  }
  let body: unknown;
  try {
    // RFC 8259 section 8.1 lets a parser ignore a leading byte order mark,
    // as body-parser does: BOM + JSON is JSON.
    body = JSON.parse(request.body.replace(/^\uFEFF/, ''));
  } catch {
    return 'the body is not JSON';
  }
  const errors = schemaErrors(op.body.schema, body);
  if (errors.length) {
    const [first] = errors;
    return `the body does not match its schema: ${first.instancePath || '/'} ${
      first.message
    }`;
  }
  return undefined;
}

/** Valid requests: every path parameter, some query parameters, a body. */
export function validRequestArbitrary(
  op: Operation,
  known: KnownValues,
): fc.Arbitrary<FuzzRequest> {
  const knownFor = (name: string | undefined, schema: Schema) =>
    known.forField(name, schema);
  // Requests that change or delete act on what the pass created itself.
  const createdOnly = op.method !== 'GET';
  const path: Record<string, fc.Arbitrary<string>> = {};
  const query: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const param of op.parameters) {
    if (param.in === 'path') {
      const fresh = valueArbitrary(param.schema, () => []).map(parameterText);
      const seen = known.forPathParameter(op, param, createdOnly);
      path[param.name] = seen.length
        ? fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...seen) },
            { weight: 1, arbitrary: fresh },
          )
        : fresh;
    } else if (param.in === 'query') {
      const value = valueArbitrary(param.schema, knownFor, param.name).map(
        parameterText,
      );
      query[param.name] = param.required
        ? value
        : fc.option(value, { nil: undefined, freq: 2 });
    }
  }
  const body = op.body
    ? valueArbitrary(op.body.schema, knownFor).map(value =>
        JSON.stringify(value),
      )
    : fc.constant(undefined);
  return fc
    .record({ path: fc.record(path), query: fc.record(query), body })
    .map(({ path: pathParams, query: queryValues, body: text }) => ({
      label: 'valid',
      pathParams,
      query: Object.entries(queryValues).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
      ...(text === undefined
        ? {}
        : { body: text, contentType: 'application/json' }),
    }));
}

/** Strings that break assumptions: controls, odd Unicode, syntax, length. */
export const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u0007\b\t\n\r',
    '\u001b[31m',
    ' ',
    ' padded ',
    'ü',
    'İı',
    '😀',
    '👩‍👩‍👧',
    '\u202eevil',
    '\ufeff',
    '\ud800',
    'a\udfff',
    '..',
    '../..',
    '/',
    '%',
    '%00',
    '?',
    '#',
    '&x=1',
    '+',
    '\\',
    '"',
    "' OR '1'='1",
    '<script>',
    '${x}',
    'null',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    'component:',
    'component:default/',
    'component:default/a/b',
    'COMPONENT:DEFAULT/PAYMENTS-API',
    'group:default/platform-admins',
    'user:default/guest',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  // Long, but within the 16 KiB Node allows a request's head: past it
  // Node itself answers 431, which says nothing about the plugin.
  fc.constantFrom(300, 1000).map(n => 'é'.repeat(n)),
);

/** Number-like text for parameters, by what is wrong with it as an integer. */
const NUMERIC_TEXTS: Array<[string, string[]]> = [
  ['non-finite number', ['Infinity', '-Infinity', 'NaN']],
  ['not an integer', ['1.5', '1e3', '0x10', ' 1', '+1', '1_000']],
  [
    'out-of-range number',
    [
      '-1',
      '0',
      '2147483648',
      '9007199254740993',
      '10801738270437959680',
      '-10801738270437959680',
      '9'.repeat(400),
    ],
  ],
];

/** Broken values for a parameter, each with what kind of break it is. */
function badParameterTexts(
  param: Parameter,
): Array<fc.Arbitrary<[string, string]>> {
  const { schema } = param;
  const kinds: Array<fc.Arbitrary<[string, string]>> = [
    oddText.map(v => ['odd text', v] as [string, string]),
    ...NUMERIC_TEXTS.map(([kind, texts]) =>
      fc.constantFrom(...texts).map(v => [kind, v] as [string, string]),
    ),
  ];
  if (schema.maxLength !== undefined) {
    kinds.push(
      fc
        .constantFrom(schema.maxLength + 1, 4000)
        .map(n => ['too long', 'x'.repeat(n)] as [string, string]),
    );
  }
  if (param.in === 'query') {
    kinds.push(fc.constant(['empty', ''] as [string, string]));
  }
  if (Array.isArray(schema.enum)) {
    kinds.push(
      fc
        .constantFrom(
          ...schema.enum.map((v: unknown) => String(v).toUpperCase()),
          'unknown',
        )
        .map(v => ['not in the enum', v] as [string, string]),
    );
  }
  return kinds;
}

/** Raw JSON number tokens, put into a body in place of a value. */
const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '1.5',
  '-1',
  '2147483648',
  '9007199254740993',
  '10801738270437959680',
  '-10801738270437959680',
  '1e21',
];

interface BodyField {
  path: Array<string | number>;
  schema: Schema;
  required: boolean;
}

/** The places in a body schema, down to a few levels. */
function bodyFields(
  schema: Schema,
  path: Array<string | number> = [],
  depth = 0,
): BodyField[] {
  if (depth > 3) return [];
  const fields: BodyField[] = [];
  const objects = [schema, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  const seen = new Set<string>();
  for (const object of objects) {
    for (const [key, child] of Object.entries<Schema>(
      object.properties ?? {},
    )) {
      if (seen.has(key)) continue;
      seen.add(key);
      const childPath = [...path, key];
      fields.push({
        path: childPath,
        schema: child,
        required: (object.required ?? []).includes(key),
      });
      fields.push(...bodyFields(child, childPath, depth + 1));
    }
  }
  if (schema.type === 'array' && schema.items) {
    fields.push({ path: [...path, 0], schema: schema.items, required: false });
    fields.push(...bodyFields(schema.items, [...path, 0], depth + 1));
  }
  return fields;
}

const RAW_MARK = '\u0000fuzz-raw\u0000';
/** Stands for "take the property out" in bodyWith. */
const remove = Symbol('remove');

/**
 * The body with `value` at `path` (intermediate objects made as needed),
 * or without it when `value` is `remove`; `{ raw }` puts a JSON token
 * JSON.stringify cannot write (1e309).
 */
function bodyWith(
  text: string | undefined,
  path: Array<string | number>,
  value: unknown,
): string {
  let root: any;
  try {
    root = text === undefined ? {} : JSON.parse(text);
  } catch {
    root = {};
  }
  if (!root || typeof root !== 'object') root = {};
  let node = root;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      if (value === remove) {
        delete node[key];
      } else if (value && typeof value === 'object' && 'raw' in value) {
        node[key] = RAW_MARK;
      } else {
        node[key] = value;
      }
    } else {
      if (!node[key] || typeof node[key] !== 'object') {
        node[key] = typeof path[index + 1] === 'number' ? [] : {};
      }
      node = node[key];
    }
  }
  const json = JSON.stringify(root);
  return value && typeof value === 'object' && 'raw' in value
    ? json.replace(JSON.stringify(RAW_MARK), String((value as any).raw))
    : json;
}

/** Values of the wrong JSON type for a schema. */
function wrongTypes(schema: Schema): unknown[] {
  const all: Record<string, unknown[]> = {
    string: ['text'],
    integer: [7],
    number: [1.5],
    boolean: [true],
    array: [['a']],
    object: [{ a: 1 }],
    null: [null],
  };
  const types = schema.type === 'integer' ? ['integer'] : [schema.type];
  if (schema.type === 'number') types.push('integer');
  return Object.entries(all)
    .filter(([type]) => !types.includes(type))
    .flatMap(([, values]) => values);
}

function bodyFieldMutations(op: Operation): Array<fc.Arbitrary<Mutation>> {
  const fields = bodyFields(op.body!.schema);
  if (!fields.length) return [];
  const mutations: Array<fc.Arbitrary<Mutation>> = [];
  const at = (kind: string, values: fc.Arbitrary<unknown>) =>
    fc.tuple(fc.constantFrom(...fields), values).map(
      ([field, value]): Mutation =>
        request => ({
          ...request,
          label: `body ${field.path.join('.')}: ${kind}`,
          body: bodyWith(request.body, field.path, value),
        }),
    );
  const required = fields.filter(f => f.required);
  if (required.length) {
    mutations.push(
      fc.constantFrom(...required).map(
        (field): Mutation =>
          request => ({
            ...request,
            label: `body ${field.path.join('.')}: missing`,
            body: bodyWith(request.body, field.path, remove),
          }),
      ),
    );
  }
  mutations.push(
    fc
      .constantFrom(...fields)
      .chain(field =>
        fc
          .constantFrom(...wrongTypes(field.schema))
          .map(value => [field, value] as const),
      )
      .map(
        ([field, value]): Mutation =>
          request => ({
            ...request,
            label: `body ${field.path.join('.')}: wrong type`,
            body: bodyWith(request.body, field.path, value),
          }),
      ),
  );
  mutations.push(
    at(
      'number edge',
      fc.constantFrom(...RAW_NUMBERS).map(raw => ({ raw })),
    ),
  );
  mutations.push(at('odd text', oddText));
  mutations.push(
    at(
      'too long',
      fc.constantFrom(1000, 40000).map(n => 'x'.repeat(n)),
    ),
  );
  mutations.push(at('null', fc.constant(null)));
  // Where additionalProperties is false the spec rejects it; elsewhere it
  // is valid and must be ignored.
  const objects = [
    [],
    ...fields.filter(f => f.schema.type === 'object').map(f => f.path),
  ];
  mutations.push(
    fc.constantFrom(...objects).map(
      (path): Mutation =>
        request => ({
          ...request,
          label: `body ${path.join('.') || '(root)'}: extra property`,
          body: bodyWith(request.body, [...path, 'unexpectedProperty'], 'x'),
        }),
    ),
  );
  return mutations;
}

const MALFORMED_BODIES = [
  '{',
  '{"a":',
  '[1,]',
  "{'a':1}",
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '"""',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  '[]',
  '"text"',
  '42',
  'true',
  'null',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  '*/*',
];

function bodyMutations(op: Operation): Array<fc.Arbitrary<Mutation>> {
  if (!op.body) {
    // A body where none is declared: the server should ignore it.
    return [
      fc.constant<Mutation>(request => ({
        ...request,
        label: 'body: where none is declared',
        body: '{"unexpected":true}',
        contentType: 'application/json',
      })),
    ];
  }
  return [
    fc.constant<Mutation>(request => ({
      ...request,
      label: 'body: missing',
      body: undefined,
      contentType: undefined,
    })),
    fc.constantFrom(...MALFORMED_BODIES).map(
      (text): Mutation =>
        request => ({
          ...request,
          label: 'body: malformed or of the wrong shape',
          body: text,
          contentType: 'application/json',
        }),
    ),
    fc.constantFrom(...CONTENT_TYPES, undefined).map(
      (contentType): Mutation =>
        request => ({
          ...request,
          label: 'body: content type',
          contentType,
        }),
    ),
    fc.constant<Mutation>(request => ({
      ...request,
      label: 'body: not UTF-8',
      body: '{"x":"\u00ff\u00fe"}',
      bodyEncoding: 'latin1',
    })),
    ...bodyFieldMutations(op),
  ];
}

function parameterMutations(op: Operation): Array<fc.Arbitrary<Mutation>> {
  const mutations: Array<fc.Arbitrary<Mutation>> = [];
  for (const param of op.parameters) {
    if (param.in !== 'path' && param.in !== 'query') continue;
    for (const texts of badParameterTexts(param)) {
      mutations.push(
        texts.map(
          ([kind, text]): Mutation =>
            request =>
              param.in === 'path'
                ? {
                    ...request,
                    label: `path ${param.name}: ${kind}`,
                    pathParams: { ...request.pathParams, [param.name]: text },
                  }
                : {
                    ...request,
                    label: `query ${param.name}: ${kind}`,
                    query: [
                      ...request.query.filter(([n]) => n !== param.name),
                      [param.name, text],
                    ],
                  },
        ),
      );
    }
  }
  mutations.push(
    fc.constantFrom('unknownParameter', 'limit', '__proto__', 'filter').map(
      (name): Mutation =>
        request =>
          op.parameters.some(p => p.in === 'query' && p.name === name)
            ? request
            : {
                ...request,
                label: 'query: undeclared parameter',
                query: [...request.query, [name, 'x']],
              },
    ),
  );
  return mutations;
}

/**
 * Requests for an operation: two in five valid, the others broken in one
 * place. `known` offers values seen in earlier responses.
 */
export function requestArbitrary(
  op: Operation,
  known: KnownValues,
): fc.Arbitrary<FuzzRequest> {
  const valid = validRequestArbitrary(op, known);
  const broken = fc
    .tuple(valid, fc.oneof(...parameterMutations(op), ...bodyMutations(op)))
    .map(([request, mutate]) => mutate(request));
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: broken },
  );
}
