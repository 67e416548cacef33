import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import pipelineSchema from '../../schema/pipeline.schema.json';
import { DataPath, formatPath, pointerToPath } from './fieldPath';
import { PipelineError } from './types';
import { Locator } from './yamlLocator';

/**
 * The JSON Schema of `.platform/pipeline.yaml` (draft-07), as published in
 * `schema/pipeline.schema.json` of this package.
 *
 * @public
 */
export const PIPELINE_SCHEMA: object = pipelineSchema;

/** What each pattern of the schema means, for people. */
const PATTERN_MEANINGS: Record<string, string> = {
  [pipelineSchema.definitions.name.pattern]:
    'must start with a letter or _ and hold only letters, digits, _ and - (at most 63 characters)',
  [pipelineSchema.definitions.duration.pattern]:
    'must be a duration such as 90s, 10m or 1h30m',
  [pipelineSchema.definitions.relativePath.pattern]:
    "must be a relative path inside the repository, without '..'",
  [pipelineSchema.definitions.image.properties.repository.pattern]:
    'must be an image repository such as registry.example.com/team/app (lower case, no tag)',
  [pipelineSchema.definitions.deploy.properties.environments.items.pattern]:
    'must be an environment name: lower-case letters, digits and -',
};

/** The fields a stage chooses its kind by. */
const STAGE_KINDS = ['steps', 'image', 'deploy'];

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      allowUnionTypes: true,
      // The stage's oneOf lists required fields that its properties define.
      strictRequired: false,
    });
    validator = ajv.compile(pipelineSchema);
  }
  return validator;
}

function listOf(words: string[], conjunction = 'or') {
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} ${conjunction} ${
        words[words.length - 1]
      }`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  null: 'empty',
};

function describeType(type: string | string[]): string {
  const types = Array.isArray(type) ? type : [type];
  return `must be ${listOf(types.map(t => TYPE_NAMES[t] ?? t))}`;
}

/** One ajv error as a pipeline error, or undefined to leave it out. */
function describe(
  error: ErrorObject,
  path: DataPath,
  data: unknown,
): { message: string; path: DataPath; atKey?: boolean } | undefined {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return { message: `'${params.missingProperty}' is required`, path };
    case 'additionalProperties': {
      const known = Object.keys(
        (error.parentSchema as { properties?: object })?.properties ?? {},
      );
      return {
        message: `unknown field '${
          params.additionalProperty
        }'; known fields are ${known.join(', ')}`,
        path: [...path, params.additionalProperty],
        atKey: true,
      };
    }
    case 'propertyNames':
      return {
        message: `'${params.propertyName}' is not a valid variable name: a letter or _, then letters, digits or _`,
        path: [...path, params.propertyName],
        atKey: true,
      };
    case 'type': {
      // A number where a duration or a path belongs: say what is expected.
      const pattern = (error.parentSchema as { pattern?: string })?.pattern;
      const meaning = pattern ? PATTERN_MEANINGS[pattern] : undefined;
      return { message: meaning ?? describeType(params.type), path };
    }
    case 'const':
      return {
        message: `must be ${JSON.stringify(params.allowedValue)}`,
        path,
      };
    case 'enum':
      return {
        message: `must be one of ${listOf(params.allowedValues.map(String))}`,
        path,
      };
    case 'pattern':
      return {
        message:
          PATTERN_MEANINGS[params.pattern] ?? `must match ${params.pattern}`,
        path,
      };
    case 'minItems':
      return params.limit === 1
        ? { message: 'must not be empty', path }
        : { message: `must have at least ${params.limit} items`, path };
    case 'minLength':
      return { message: 'must not be empty', path };
    case 'maxLength':
      return { message: `must be at most ${params.limit} characters`, path };
    case 'minProperties':
      return { message: 'must not be empty', path };
    case 'uniqueItems': {
      const list = error.data as unknown[];
      return {
        message: `lists ${JSON.stringify(list[params.j])} twice`,
        path: [...path, params.j],
      };
    }
    case 'minimum':
      return { message: `must be at least ${params.limit}`, path };
    case 'maximum':
      return { message: `must be at most ${params.limit}`, path };
    case 'oneOf': {
      const stage = data as Record<string, unknown>;
      const present = STAGE_KINDS.filter(kind => kind in (stage ?? {}));
      return {
        message:
          present.length === 0
            ? `a stage needs one of ${listOf(STAGE_KINDS)}`
            : `a stage has only one of ${listOf(
                STAGE_KINDS,
              )}; this one has ${listOf(present, 'and')}`,
        path,
      };
    }
    default:
      return { message: error.message ?? error.keyword, path };
  }
}

/**
 * The schema errors of pipeline data, each with its field and location.
 * Errors inside a stage's `oneOf` branches are folded into one message
 * about the stage's kind.
 */
export function schemaErrors(data: unknown, locator: Locator): PipelineError[] {
  const validate = getValidator();
  if (validate(data)) return [];
  const all = validate.errors ?? [];
  const oneOfPaths = all
    .filter(e => e.keyword === 'oneOf')
    .map(e => `${e.schemaPath}/`);
  const errors: PipelineError[] = [];
  const seen = new Set<string>();
  for (const error of all) {
    if (oneOfPaths.some(prefix => error.schemaPath.startsWith(prefix)))
      continue;
    // The pattern error behind a propertyNames error; that one says it better.
    if ((error as { propertyName?: string }).propertyName !== undefined)
      continue;
    const path = pointerToPath(error.instancePath, data);
    const described = describe(error, path, error.data);
    if (!described) continue;
    const location = described.atKey
      ? locator.key(described.path)
      : locator.value(described.path);
    const text = formatPath(described.path);
    const key = `${text}\n${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ message: described.message, path: text, ...location });
  }
  return errors;
}
