import { PipelineStepOutputProblem } from './executor';

/** GitHub Actions' output names: letters, digits, `_` and `-`. */
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Reads a step's outputs file, in the format of GitHub Actions'
 * `$GITHUB_OUTPUT`:
 *
 * ```
 * version=1.4.2
 * notes<<EOF
 * first line
 * second line
 * EOF
 * ```
 *
 * `key=value` takes everything after the first `=` as the value;
 * `key<<DELIMITER` takes the lines up to a line that is exactly `DELIMITER`,
 * joined with newlines. Empty lines are skipped, a later key replaces an
 * earlier one, and `\r\n` line ends are read like `\n`. Lines that fit
 * neither form, keys that are not `[A-Za-z_][A-Za-z0-9_-]*` and a multi-line
 * value without its closing delimiter are reported as problems and skipped.
 *
 * @public
 */
export function parseStepOutputs(text: string): {
  outputs: Record<string, string>;
  problems: PipelineStepOutputProblem[];
} {
  const outputs: Record<string, string> = {};
  const problems: PipelineStepOutputProblem[] = [];
  const lines = text.split('\n').map(line => line.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNumber = i + 1;
    if (line.trim() === '') {
      continue;
    }
    // A '<<' before any '=' starts a multi-line value, as on GitHub Actions.
    const heredoc = /^([^=]*?)<<(.*)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc;
      if (delimiter === '') {
        problems.push({
          line: lineNumber,
          message: `The multi-line value of '${key}' has no delimiter after '<<'`,
        });
        continue;
      }
      const end = lines.indexOf(delimiter, i + 1);
      if (end === -1) {
        problems.push({
          line: lineNumber,
          message: `The multi-line value of '${key}' is never ended by a line '${delimiter}'`,
        });
        break;
      }
      if (KEY.test(key)) {
        outputs[key] = lines.slice(i + 1, end).join('\n');
      } else {
        problems.push({ line: lineNumber, message: invalidKey(key) });
      }
      i = end;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals === -1) {
      problems.push({
        line: lineNumber,
        message: `Expected 'key=value' or 'key<<DELIMITER', got '${abbreviate(
          line,
        )}'`,
      });
      continue;
    }
    const key = line.slice(0, equals);
    if (!KEY.test(key)) {
      problems.push({ line: lineNumber, message: invalidKey(key) });
      continue;
    }
    outputs[key] = line.slice(equals + 1);
  }
  return { outputs, problems };
}

function invalidKey(key: string): string {
  return `'${abbreviate(
    key,
  )}' is not a valid output name (letters, digits, '_' and '-', not starting with a digit or '-')`;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
