/**
 * The environment variable that names the file a step writes its outputs
 * to, in the format of GitHub Actions' `$GITHUB_OUTPUT`: `key=value` lines,
 * or `key<<DELIMITER`, the value's lines, then `DELIMITER`. Executors read
 * it with `parseStepOutputs` of `@internal/plugin-pipelines-node`.
 *
 * @public
 */
export const PIPELINE_OUTPUT_ENV = 'PIPELINE_OUTPUT';

/**
 * The fields of `${{ run.<field> }}`. A field that does not apply to a run
 * (`tag` on a branch build, `pullRequest` on a push) is the empty string.
 *
 * - `id`: the run's id; `number`: its number among the component's runs;
 * - `commit`, `shortCommit` (the first 12 characters);
 * - `ref` (`refs/heads/main`), `branch`, `tag`, `pullRequest` (its number);
 * - `repository` (the slug), `component` (the entity's name).
 *
 * @public
 */
export const RUN_EXPRESSION_FIELDS = [
  'id',
  'number',
  'commit',
  'shortCommit',
  'ref',
  'branch',
  'tag',
  'pullRequest',
  'repository',
  'component',
] as const;

/** @public */
export type RunExpressionField = (typeof RUN_EXPRESSION_FIELDS)[number];

/**
 * What an expression refers to: an output of an earlier step, or a property
 * of the run.
 *
 * @public
 */
export type PipelineExpression =
  | { type: 'output'; step: string; key: string }
  | { type: 'run'; field: RunExpressionField };

/** An expression found in a text, or why it is not one. @public */
export interface ExpressionMatch {
  /** The whole `${{ ... }}`. */
  source: string;
  /** Offset of `${{` in the text. */
  index: number;
  expression?: PipelineExpression;
  error?: string;
}

const STEP_OUTPUT =
  /^steps\.([A-Za-z_][A-Za-z0-9_-]{0,62})\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)$/;
const RUN_FIELD = /^run\.([A-Za-z]+)$/;

function parseExpression(
  body: string,
): Omit<ExpressionMatch, 'source' | 'index'> {
  const output = STEP_OUTPUT.exec(body);
  if (output) {
    return { expression: { type: 'output', step: output[1], key: output[2] } };
  }
  const run = RUN_FIELD.exec(body);
  if (run) {
    const field = run[1] as RunExpressionField;
    if (RUN_EXPRESSION_FIELDS.includes(field)) {
      return { expression: { type: 'run', field } };
    }
    return {
      error: `'run.${
        run[1]
      }' is not a run field; known fields are ${RUN_EXPRESSION_FIELDS.join(
        ', ',
      )}`,
    };
  }
  return {
    error: `'${body}' is not an expression; write steps.<step>.outputs.<key> or run.<field>`,
  };
}

/**
 * Every `${{ ... }}` in a text. Expressions have two forms:
 * `${{ steps.<step>.outputs.<key> }}` (what an earlier step wrote to its
 * output file) and `${{ run.<field> }}` (see {@link RUN_EXPRESSION_FIELDS}).
 * There is no escape: `${{` always starts an expression.
 *
 * @public
 */
export function findExpressions(text: string): ExpressionMatch[] {
  const matches: ExpressionMatch[] = [];
  let from = 0;
  for (;;) {
    const index = text.indexOf('${{', from);
    if (index < 0) return matches;
    const end = text.indexOf('}}', index + 3);
    if (end < 0) {
      matches.push({
        source: text.slice(index),
        index,
        error: "'${{' is not closed with '}}'",
      });
      return matches;
    }
    const source = text.slice(index, end + 2);
    matches.push({
      source,
      index,
      ...parseExpression(text.slice(index + 3, end).trim()),
    });
    from = end + 2;
  }
}

/** The values expressions resolve to. @public */
export interface ExpressionContext {
  /** Outputs by step name, of the steps that have run. */
  steps: Record<string, Record<string, string>>;
  run: Partial<Record<RunExpressionField, string>>;
}

/**
 * A text with its expressions replaced by their values. Throws when an
 * expression is malformed or names an output that the step did not write,
 * with a message that says which.
 *
 * @public
 */
export function resolveExpressions(
  text: string,
  context: ExpressionContext,
): string {
  let result = '';
  let from = 0;
  for (const match of findExpressions(text)) {
    result += text.slice(from, match.index);
    from = match.index + match.source.length;
    const { expression, error } = match;
    if (!expression) {
      throw new Error(`${match.source}: ${error}`);
    }
    if (expression.type === 'run') {
      result += context.run[expression.field] ?? '';
      continue;
    }
    const outputs = context.steps[expression.step];
    if (!outputs) {
      throw new Error(`${match.source}: step '${expression.step}' has not run`);
    }
    if (!(expression.key in outputs)) {
      throw new Error(
        `${match.source}: step '${expression.step}' did not write '${expression.key}' to $${PIPELINE_OUTPUT_ENV}`,
      );
    }
    result += outputs[expression.key];
  }
  return result + text.slice(from);
}
