import { randomBytes } from 'node:crypto';

/** A timestamped line on stderr; stdout is kept for the figures. */
export function log(message: string) {
  process.stderr.write(`[bench] ${new Date().toISOString()} ${message}\n`);
}

let lastProgressLine = 0;

/**
 * Progress: a line that rewrites itself on a terminal; elsewhere (CI, a
 * redirected log) a line every 15 s at most.
 */
export function progress(message: string) {
  if (process.stderr.isTTY) {
    process.stderr.write(`\r[bench] ${message}   `);
  } else if (Date.now() - lastProgressLine > 15_000) {
    lastProgressLine = Date.now();
    log(message);
  }
}

/** Ends a run of {@link progress} lines. */
export function endProgress() {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** An id for one run: its start time and a little randomness. */
export function runId() {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}_${randomBytes(2).toString('hex')}`;
}

/** Milliseconds with one decimal, or `-` when there is no figure. */
export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

/** A text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  return [line(header), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)]
    .join('\n')
    .concat('\n');
}

/** Refuses Node versions Backstage 1.55 does not run on. */
export function requireNode22(benchmark: string) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    process.stderr.write(
      `Node ${process.version} is too old for Backstage 1.55; run it through ./idp bench ${benchmark}, which brings Node 22\n`,
    );
    process.exit(1);
  }
}
