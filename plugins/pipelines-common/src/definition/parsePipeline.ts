import { LineCounter, parseDocument } from 'yaml';
import { buildDefinition } from './pipelineModel';
import { schemaErrors } from './schemaValidation';
import { PipelineDefinition, PipelineError, PipelineFile } from './types';
import { createYamlLocator, Locator, noLocator } from './yamlLocator';

/** Where a component's pipeline file lives in its repository. @public */
export const PIPELINE_FILE_PATH = '.platform/pipeline.yaml';

/** The largest pipeline file read: 256 KiB. @public */
export const MAX_PIPELINE_FILE_BYTES = 256 * 1024;

/**
 * A pipeline file read: the definition, or every error found.
 *
 * @public
 */
export type PipelineParseResult =
  | { ok: true; definition: PipelineDefinition }
  | { ok: false; errors: PipelineError[] };

function byPosition(a: PipelineError, b: PipelineError) {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** Validates pipeline data against the schema, then the rest. */
function check(data: unknown, locator: Locator): PipelineParseResult {
  const errors = schemaErrors(data, locator);
  if (errors.length > 0) {
    return { ok: false, errors: errors.sort(byPosition) };
  }
  const result = buildDefinition(data as PipelineFile, locator);
  return result.definition
    ? { ok: true, definition: result.definition }
    : { ok: false, errors: result.errors.sort(byPosition) };
}

/**
 * Reads `.platform/pipeline.yaml`: YAML syntax, then the JSON Schema
 * (`schema/pipeline.schema.json`), then what a schema cannot say (unique
 * names, `needs` forming a DAG, deploy stages needing their image stage,
 * expressions and where they may stand, cron, timeouts). Every error found
 * at a stage is reported, each with its field path and its line and column
 * in the file. On success, the definition with every default applied.
 *
 * @public
 */
export function parsePipeline(text: string): PipelineParseResult {
  if (new TextEncoder().encode(text).length > MAX_PIPELINE_FILE_BYTES) {
    return {
      ok: false,
      errors: [
        {
          message: `the file is larger than ${
            MAX_PIPELINE_FILE_BYTES / 1024
          } KiB`,
          path: '',
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    keepSourceTokens: true,
    prettyErrors: true,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map(error => {
        const position = error.linePos?.[0];
        return {
          // The first line of YAML's message; the rest is a source excerpt.
          message: error.message
            .split('\n')[0]
            .replace(/ at line \d+, column \d+:?$/, ''),
          path: '',
          ...(position ? { line: position.line, column: position.col } : {}),
        };
      }),
    };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      errors: [
        {
          message: "the file is empty; it needs at least 'stages'",
          path: '',
          line: 1,
          column: 1,
        },
      ],
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      errors: [{ message: (error as Error).message, path: '' }],
    };
  }
  return check(data, createYamlLocator(doc, lineCounter));
}

/**
 * Validates pipeline data that did not come from a YAML file (the built-in
 * defaults, a definition stored by the engine). Errors have no line.
 *
 * @public
 */
export function validatePipelineFile(data: unknown): PipelineParseResult {
  return check(data, noLocator);
}

/**
 * The errors as lines for people: `.platform/pipeline.yaml:12:7
 * stages[0].steps[1].timeout: must be a duration such as 90s, 10m or 1h30m`.
 *
 * @public
 */
export function formatPipelineErrors(
  errors: PipelineError[],
  file = PIPELINE_FILE_PATH,
): string {
  return errors
    .map(error => {
      const where = error.line
        ? `${file}:${error.line}:${error.column ?? 1}`
        : file;
      return `${where} ${error.path ? `${error.path}: ` : ''}${error.message}`;
    })
    .join('\n');
}
