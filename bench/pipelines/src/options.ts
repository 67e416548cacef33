import { parseArgs } from 'node:util';

/** What one run of the benchmark does; every field has a flag. */
export interface BenchOptions {
  database: 'postgres' | 'sqlite';
  /** Server to create the run's databases on (PostgreSQL only). */
  postgresUrl: string;
  /**
   * Pushes per second in the sustained accept phase; default the highest
   * rate the ramp held (the lowest ramp rate when none held).
   */
  rate?: number;
  /** Length of the sustained accept phase. */
  seconds: number;
  /** Rates tried one after the other for the highest sustainable one. */
  rampRates: number[];
  /** Length of each rate of the ramp. */
  rampSeconds: number;
  /** A ramp rate holds while p99 accept latency stays within this. */
  maxP99Ms: number;
  /** Pushes timed from send to run started. */
  pushes: number;
  /** Steps of the overhead pipeline and lines of the shell script. */
  steps: number;
  /** Runs of the overhead pipeline (and of the script); medians are shown. */
  repeats: number;
  resultsDir: string;
  /** Keep the run's databases, repositories and backend log. */
  keep: boolean;
}

const usage = `Usage: yarn bench:pipelines [options]

Starts a real backend (auth with the guest provider, catalog, permission with
the platform policy, events with the signed-webhooks ingress, pipelines with
the local executor) and measures signed GitHub pushes through the HTTP ingress,
push-to-run-started latency and the engine's overhead per step.

  --sqlite                 run on SQLite files instead of PostgreSQL
  --postgres-url <url>     PostgreSQL server (default $BENCH_POSTGRES_URL or
                           postgresql://postgres@127.0.0.1:5432)
  --ramp <a,b,...>         rates tried, in order, for the highest sustainable
                           one (default 5,10,15,20,30,40,60,80,120,160,240)
  --rate <n>               pushes per second in the sustained phase (default
                           the highest rate the ramp held)
  --seconds <n>            length of the sustained phase (default 20)
  --ramp-seconds <n>       length of each ramp rate (default 5)
  --max-p99 <ms>           a rate holds while p99 stays within this (default 1000)
  --pushes <n>             pushes timed from send to run started (default 20)
  --steps <n>              steps of the overhead pipeline (default 20)
  --repeats <n>            runs of the overhead pipeline and script (default 5)
  --results-dir <dir>      where the JSON goes (default bench/results)
  --keep                   keep the databases, repositories and backend log
  --help                   this text
`;

function count(name: string, value: string | undefined, fallback: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(
      `--${name} must be a whole number of at least 1, got '${value}'`,
    );
  }
  return n;
}

/** Reads the command line; prints the usage and exits on --help. */
export function parseOptions(
  argv: string[],
  defaultResultsDir: string,
): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      sqlite: { type: 'boolean', default: false },
      'postgres-url': { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      ramp: { type: 'string' },
      'ramp-seconds': { type: 'string' },
      'max-p99': { type: 'string' },
      pushes: { type: 'string' },
      steps: { type: 'string' },
      repeats: { type: 'string' },
      'results-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const ramp = values.ramp ?? '5,10,15,20,30,40,60,80,120,160,240';
  const options: BenchOptions = {
    database: values.sqlite ? 'sqlite' : 'postgres',
    postgresUrl:
      values['postgres-url'] ??
      process.env.BENCH_POSTGRES_URL ??
      'postgresql://postgres@127.0.0.1:5432',
    rate: values.rate === undefined ? undefined : count('rate', values.rate, 1),
    seconds: count('seconds', values.seconds, 20),
    rampRates: ramp
      .split(',')
      .filter(r => r.trim() !== '')
      .map(r => count('ramp', r.trim(), 1)),
    rampSeconds: count('ramp-seconds', values['ramp-seconds'], 5),
    maxP99Ms: count('max-p99', values['max-p99'], 1000),
    pushes: count('pushes', values.pushes, 20),
    steps: count('steps', values.steps, 20),
    repeats: count('repeats', values.repeats, 5),
    resultsDir: values['results-dir'] ?? defaultResultsDir,
    keep: values.keep,
  };
  if (options.rate === undefined && options.rampRates.length === 0) {
    throw new Error('Without a ramp, --rate is needed');
  }
  return options;
}
