/*
 * What the spec says about a value: the one judge of whether a generated
 * request is valid and whether a response matches, so that the fuzz pass
 * never decides validity by how it built a request.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Parameter, Schema } from './openapiSpecs';

// strict: false because OpenAPI 3.0 schemas carry keywords JSON Schema does
// not know (example, discriminator, nullable) and our own x-fuzz-ref.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

const compiled = new WeakMap<Schema, ValidateFunction>();

function validatorOf(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** The schema's complaints about a value; none when it matches. */
export function schemaErrors(schema: Schema, value: unknown): ErrorObject[] {
  const validate = validatorOf(schema);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Whether a value matches the schema. */
export function matches(schema: Schema, value: unknown): boolean {
  return validatorOf(schema)(value) === true;
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Whether a parameter's text (as it stands in the path or query, decoded)
 * is valid for its schema. Path and query values are strings: they stand
 * for an integer only when written as one, digits and an optional minus,
 * since `1e3`, `0x10`, ` 1` or `Infinity` are not integers in any
 * serialization OpenAPI defines.
 */
export function parameterValueValid(param: Parameter, text: string): boolean {
  const { schema } = param;
  const type = schema.type;
  let value: unknown = text;
  if (type === 'integer') {
    if (!INTEGER.test(text)) return false;
    value = Number(text);
  } else if (type === 'number') {
    if (!NUMBER.test(text)) return false;
    value = Number(text);
    if (!Number.isFinite(value)) return false;
  } else if (type === 'boolean') {
    if (text !== 'true' && text !== 'false') return false;
    value = text === 'true';
  }
  return matches(schema, value);
}
