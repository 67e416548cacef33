import { parseArgs } from 'node:util';
import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** What every benchmark run is told: where its databases live, what it keeps. */
export interface RunOptions {
  database: 'postgres' | 'sqlite';
  /** Server to create the run's databases on (PostgreSQL only). */
  postgresUrl: string;
  /** Where the JSON result is written. */
  resultsDir: string;
  /** Keep the run's databases, work folder and backend log. */
  keep: boolean;
}

/** The options of a run as its JSON records them: no server URL, no paths. */
export type RecordedOptions<O extends RunOptions> = Omit<
  O,
  'postgresUrl' | 'resultsDir'
>;

/** A flag of a benchmark's own that takes a value, as `--help` shows it. */
export interface BenchFlag<N extends string> {
  name: N;
  /** The value's placeholder, e.g. `<n>`. */
  value: string;
  /** The help text, one entry per line. */
  help: string[];
}

/** bench/results, where every benchmark writes its JSON unless told. */
const DEFAULT_RESULTS_DIR = resolvePackagePath(
  '@internal/bench-shared',
  '..',
  'results',
);

function usage<N extends string>(spec: {
  command: string;
  about: string;
  flags: ReadonlyArray<BenchFlag<N>>;
  keeps: string;
}): string {
  const rows: Array<[string, string[]]> = [
    ['--sqlite', ['run on SQLite files instead of PostgreSQL']],
    [
      '--postgres-url <url>',
      [
        'PostgreSQL server (default $BENCH_POSTGRES_URL or',
        'postgresql://postgres@127.0.0.1:5432)',
      ],
    ],
    ...spec.flags.map((f): [string, string[]] => [
      `--${f.name} ${f.value}`,
      f.help,
    ]),
    ['--results-dir <dir>', ['where the JSON goes (default bench/results)']],
    ['--keep', [`keep ${spec.keeps}`]],
    ['--help', ['this text']],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 3;
  const lines = rows.flatMap(([flag, help]) =>
    help.map((line, i) => `  ${(i === 0 ? flag : '').padEnd(width)}${line}`),
  );
  return `Usage: ${spec.command} [options]\n\n${spec.about}\n\n${lines.join(
    '\n',
  )}\n`;
}

/**
 * Reads a benchmark's command line: the flags every benchmark has (database,
 * PostgreSQL server, results folder, keep) and the benchmark's own, whose
 * values come back unparsed. Prints the usage and exits on --help; throws on
 * an unknown flag.
 */
export function parseBenchArgs<N extends string>(
  argv: string[],
  spec: {
    /** How it is run, e.g. `yarn bench:pipelines`. */
    command: string;
    /** What it starts and measures, for `--help`. */
    about: string;
    flags: ReadonlyArray<BenchFlag<N>>;
    /** What `--keep` keeps, e.g. `the databases and the backend log`. */
    keeps: string;
  },
): { run: RunOptions; values: Partial<Record<N, string>> } {
  const own = Object.fromEntries(
    spec.flags.map(f => [f.name, { type: 'string' as const }]),
  );
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...own,
      sqlite: { type: 'boolean', default: false },
      'postgres-url': { type: 'string' },
      'results-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage(spec));
    process.exit(0);
  }
  const text = (name: string) => {
    const value = (values as Record<string, string | boolean | undefined>)[
      name
    ];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    run: {
      database: values.sqlite ? 'sqlite' : 'postgres',
      postgresUrl:
        text('postgres-url') ??
        process.env.BENCH_POSTGRES_URL ??
        'postgresql://postgres@127.0.0.1:5432',
      resultsDir: text('results-dir') ?? DEFAULT_RESULTS_DIR,
      keep: values.keep === true,
    },
    values: Object.fromEntries(
      spec.flags.flatMap(f => {
        const value = text(f.name);
        return value === undefined ? [] : [[f.name, value]];
      }),
    ) as Partial<Record<N, string>>,
  };
}

/** A flag's whole number, at least `min`; `fallback` when it is not given. */
export function wholeNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(
      `--${name} must be a whole number${
        min > 0 ? ` of at least ${min}` : ''
      }, got '${value}'`,
    );
  }
  return n;
}

/**
 * The options without the server URL (it may hold a password) and paths,
 * `keep` last as the results have always had it.
 */
export function recordedOptions<O extends RunOptions>(
  options: O,
): RecordedOptions<O> {
  const { postgresUrl: _url, resultsDir: _dir, keep, ...recorded } = options;
  return { ...recorded, keep } as RecordedOptions<O>;
}
