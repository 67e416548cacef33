import { parseArgs } from 'node:util';

/** What one run of the benchmark does; every field has a flag. */
export interface BenchOptions {
  database: 'postgres' | 'sqlite';
  /** Server to create the run's databases on (PostgreSQL only). */
  postgresUrl: string;
  components: number;
  /** Deployments seeded per component and environment. */
  deploymentsPerPair: number;
  /** Measured rounds of the latency phase (each runs every operation once). */
  iterations: number;
  /** Rounds run first and thrown away. */
  warmup: number;
  /** Concurrent clients in the throughput phase. */
  concurrency: number;
  /** Length of the throughput phase, per operation. */
  throughputSeconds: number;
  /** Where the JSON result is written. */
  resultsDir: string;
  /** Keep the run's databases and backend log instead of removing them. */
  keep: boolean;
}

const usage = `Usage: yarn bench:environments [options]

Starts a real backend (auth with the guest provider, catalog, permission with
the platform policy, events, environments), seeds it, and measures over HTTP.

  --sqlite                   run on SQLite files instead of PostgreSQL
  --postgres-url <url>       PostgreSQL server (default $BENCH_POSTGRES_URL or
                             postgresql://postgres@127.0.0.1:5432)
  --components <n>           catalog components to seed (default 2000)
  --deployments <n>          deployments per component and environment (default 20)
  --iterations <n>           measured rounds of the latency phase (default 500)
  --warmup <n>               rounds thrown away first (default 50)
  --concurrency <n>          clients in the throughput phase (default 4)
  --throughput-seconds <n>   throughput phase length per operation (default 10)
  --results-dir <dir>        where the JSON goes (default bench/results)
  --keep                     keep the databases and the backend log
  --help                     this text
`;

function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`--${name} must be a whole number, got '${value}'`);
  }
  return n;
}

/** Reads the command line; prints the usage and exits on --help. */
export function parseOptions(argv: string[], defaultResultsDir: string) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sqlite: { type: 'boolean', default: false },
      'postgres-url': { type: 'string' },
      components: { type: 'string' },
      deployments: { type: 'string' },
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      'throughput-seconds': { type: 'string' },
      'results-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const options: BenchOptions = {
    database: values.sqlite ? 'sqlite' : 'postgres',
    postgresUrl:
      values['postgres-url'] ??
      process.env.BENCH_POSTGRES_URL ??
      'postgresql://postgres@127.0.0.1:5432',
    components: positiveInt('components', values.components, 2000),
    deploymentsPerPair: positiveInt('deployments', values.deployments, 20),
    iterations: positiveInt('iterations', values.iterations, 500),
    warmup: positiveInt('warmup', values.warmup, 50),
    concurrency: positiveInt('concurrency', values.concurrency, 4),
    throughputSeconds: positiveInt(
      'throughput-seconds',
      values['throughput-seconds'],
      10,
    ),
    resultsDir: values['results-dir'] ?? defaultResultsDir,
    keep: values.keep,
  };
  if (options.components < 1 || options.deploymentsPerPair < 1) {
    throw new Error('--components and --deployments must be at least 1');
  }
  if (options.iterations < 1 || options.concurrency < 1) {
    throw new Error('--iterations and --concurrency must be at least 1');
  }
  return options;
}
