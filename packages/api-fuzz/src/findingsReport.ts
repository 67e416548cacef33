/*
 * Findings as people read them: in a test's failure message and in
 * findings.md, each with the request to send again and the answer it got.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { Finding, OperationOutcome } from './fuzzOperation';
import { operationTitle } from './openapiSpecs';

function clip(text: string, max: number): string {
  return text.length > max
    ? `${text.slice(0, max)}… (${text.length} characters)`
    : text;
}

/** Control characters and the like, visible. */
function visible(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** One finding, with enough to reproduce it by hand. */
export function formatFinding(finding: Finding, seed: number): string {
  const { op, problem, exchange, invalidity } = finding;
  const lines = [
    `${finding.subject ?? operationTitle(op)}: ${problem.check}`,
    `  ${clip(visible(problem.detail), 600)}`,
  ];
  if (exchange) {
    const { request } = exchange;
    lines.push(
      `  request (${request.label}${
        invalidity ? `; invalid: ${invalidity}` : '; valid per the spec'
      }): ${exchange.method} ${clip(exchange.url, 400)}${
        exchange.token === 'user' ? '' : ` (token: ${exchange.token})`
      }`,
    );
    if (request.body !== undefined || request.contentType !== undefined) {
      lines.push(
        `    content-type: ${request.contentType ?? '(none)'}${
          request.bodyEncoding === 'latin1' ? ' (bytes: latin1)' : ''
        }`,
        `    body: ${clip(visible(request.body ?? ''), 600)}`,
      );
    }
    lines.push(
      `  response: ${exchange.status ?? exchange.error} ${
        exchange.contentType ?? ''
      }`.trimEnd(),
      `    ${clip(visible(exchange.text), 800)}`,
    );
  }
  lines.push(
    `  found in ${finding.phase} with FUZZ_SEED=${seed}${
      finding.fastCheck
        ? ` (fast-check seed ${finding.fastCheck.seed}, path ${finding.fastCheck.path})`
        : ''
    }`,
  );
  return lines.join('\n');
}

/** findings.md in the output folder: started empty, findings added as found. */
export class FindingsFile {
  constructor(private readonly path: string, private readonly seed: number) {
    writeFileSync(
      path,
      `# API fuzz pass, FUZZ_SEED=${seed}\n\nEach finding once, as first found; the request shown is the smallest fast-check shrank it to.\n\n`,
    );
  }

  add(findings: Finding[]) {
    for (const finding of findings) {
      appendFileSync(
        this.path,
        `## ${finding.subject ?? operationTitle(finding.op)}: ${
          finding.problem.check
        }\n\n\`\`\`\n${formatFinding(finding, this.seed)}\n\`\`\`\n\n`,
      );
    }
  }

  /** The answers each operation got, valid and invalid requests apart. */
  addCoverage(rows: Array<[string, OperationOutcome]>) {
    const lines = rows.map(
      ([title, outcome]) =>
        `| ${title} | ${outcome.requests} | ${[...outcome.statuses]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([kind, n]) => `${kind}: ${n}`)
          .join(', ')} |`,
    );
    appendFileSync(
      this.path,
      `## Answers per operation and round\n\n| operation | requests | answers |\n| --- | --- | --- |\n${lines.join(
        '\n',
      )}\n`,
    );
  }
}
