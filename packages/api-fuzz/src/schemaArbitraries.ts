/*
 * Values from a schema, as fast-check arbitraries: seeded by the pass's
 * seed, and shrinkable, so that a failure is reported with a small input.
 * What fast-check cannot build from a schema (patterns with lookaheads)
 * json-schema-faker builds, seeded from fast-check.
 */
import fc from 'fast-check';
import { JSONSchemaFaker } from 'json-schema-faker';
import { Schema } from './openapiSpecs';
import { matches } from './specValidation';

/**
 * Values seen in earlier responses that fit a place in a request: its name
 * (a property or parameter) and its schema. Offered beside fresh values so
 * that valid requests name things that exist.
 */
export type KnownValuesFor = (
  name: string | undefined,
  schema: Schema,
) => unknown[];

/** Integers past what 32 bits, 53 bits or 64 bits hold. */
const HUGE_INTEGERS = [
  2 ** 31,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  10801738270437959680,
  2 ** 64,
  1e21,
  1e300,
];

/** A small PRNG for json-schema-faker, so its values follow the seed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** json-schema-faker's value for a schema, tried with a few seeds until it matches. */
function fakedValue(schema: Schema, seed: number): unknown {
  let value: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    JSONSchemaFaker.option({
      random: mulberry32(seed + attempt),
      alwaysFakeOptionals: false,
      failOnInvalidTypes: false,
      failOnInvalidFormat: false,
    });
    value = JSONSchemaFaker.generate(schema as any);
    if (matches(schema, value)) return value;
  }
  // Still not valid: the request is then classified invalid by the spec,
  // and checked as such, so nothing is assumed about it.
  return value;
}

function fakerArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  return fc
    .integer({ min: 0, max: 2 ** 31 - 1 })
    .map(seed => fakedValue(schema, seed));
}

function lengthBounds(schema: Schema, fallbackMax: number) {
  const minLength: number = schema.minLength ?? 0;
  const maxLength: number = Math.max(
    minLength,
    schema.maxLength ?? fallbackMax,
  );
  return { minLength, maxLength };
}

function stringArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc
        .date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map(d => d.toISOString());
    case 'date':
      return fc
        .date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map(d => d.toISOString().slice(0, 10));
    case 'uri':
      return fc.webUrl();
    default:
  }
  const { minLength, maxLength } = lengthBounds(schema, 300);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern, 'u');
    try {
      return fc
        .stringMatching(pattern)
        .filter(s => [...s].length >= minLength && [...s].length <= maxLength);
    } catch {
      // fast-check does not build every regular expression (lookaheads).
      return fakerArbitrary(schema);
    }
  }
  // Code points of every kind, control characters and astral ones too:
  // valid per the spec, so the server must cope with them.
  const short = fc.string({
    unit: 'binary',
    minLength,
    maxLength: Math.min(maxLength, minLength + 40),
  });
  const longest = fc.string({
    unit: 'binary-ascii',
    minLength: maxLength,
    maxLength,
  });
  return fc.oneof(
    { weight: 4, arbitrary: short },
    { weight: 1, arbitrary: longest },
  );
}

function integerArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  const min: number | undefined =
    schema.minimum ??
    (schema.exclusiveMinimum !== undefined
      ? schema.exclusiveMinimum + 1
      : undefined);
  const max: number | undefined =
    schema.maximum ??
    (schema.exclusiveMaximum !== undefined
      ? schema.exclusiveMaximum - 1
      : undefined);
  const int32 = (n: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, n));
  const lo = int32(min ?? (max !== undefined ? max - 1000 : -1000));
  const hi = int32(max ?? lo + 1000);
  const choices: Array<fc.WeightedArbitrary<unknown>> = [
    {
      weight: 4,
      arbitrary: fc.integer({ min: lo, max: Math.min(hi, lo + 100) }),
    },
    { weight: 2, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi) },
  ];
  // Without a bound the spec allows any integer: numbers past 64 bits are
  // as valid as small ones, and the server must not fail on them.
  const beyond = HUGE_INTEGERS.flatMap(n => [n, -n]).filter(
    n => (min === undefined || n >= min) && (max === undefined || n <= max),
  );
  if (beyond.length) {
    choices.push({ weight: 1, arbitrary: fc.constantFrom(...beyond) });
  }
  return fc.oneof(...choices);
}

function objectArbitrary(
  schema: Schema,
  known: KnownValuesFor,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required: string[] = (schema.required ?? []).filter(
    (key: string) => key in properties,
  );
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    model[key] = valueArbitrary(propertySchema, known, key, depth + 1);
  }
  const record = fc.record(model, { requiredKeys: required });
  const minProperties: number = schema.minProperties ?? 0;
  return minProperties > 0
    ? record.filter(value => Object.keys(value).length >= minProperties)
    : record;
}

function freshArbitrary(
  schema: Schema,
  known: KnownValuesFor,
  depth: number,
): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length) {
    return fc.constantFrom(...schema.enum);
  }
  const branches: Schema[] | undefined = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(branches) && branches.length) {
    const { oneOf: _oneOf, anyOf: _anyOf, discriminator: _d, ...rest } = schema;
    return fc.oneof(
      ...branches.map(branch =>
        valueArbitrary({ ...rest, ...branch }, known, undefined, depth + 1),
      ),
    );
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const { allOf, ...rest } = schema;
    const merged = (allOf as Schema[]).reduce<Schema>(
      (all, part) => ({
        ...all,
        ...part,
        properties: { ...all.properties, ...part.properties },
        required: [...(all.required ?? []), ...(part.required ?? [])],
      }),
      rest,
    );
    return freshArbitrary(merged, known, depth);
  }
  if (depth > 6) return fc.constant({});
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return fc.double({
        min: schema.minimum,
        max: schema.maximum,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength: number = schema.minItems ?? 0;
      return fc.array(
        valueArbitrary(schema.items ?? {}, known, undefined, depth + 1),
        {
          minLength,
          maxLength: Math.min(schema.maxItems ?? minLength + 4, minLength + 4),
        },
      );
    }
    case 'object':
      return objectArbitrary(schema, known, depth);
    default:
      return schema.properties
        ? objectArbitrary(schema, known, depth)
        : fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Valid values for a schema: those seen in responses for the same place
 * (`known`), most of the time, and fresh ones.
 */
export function valueArbitrary(
  schema: Schema,
  known: KnownValuesFor,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const fresh = freshArbitrary(schema, known, depth);
  const seen = known(name, schema);
  return seen.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...seen) },
        { weight: 1, arbitrary: fresh },
      )
    : fresh;
}
