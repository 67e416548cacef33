import {
  parseBenchArgs,
  RunOptions,
  wholeNumber,
} from '@internal/bench-shared';

/** What one run of the benchmark does; every field has a flag. */
export interface BenchOptions extends RunOptions {
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
}

/** Reads the command line; prints the usage and exits on --help. */
export function parseOptions(argv: string[]): BenchOptions {
  const { run, values } = parseBenchArgs(argv, {
    command: 'yarn bench:environments',
    about: `Starts a real backend (auth with the guest provider, catalog, permission with
the platform policy, events, environments), seeds it, and measures over HTTP.`,
    flags: [
      {
        name: 'components',
        value: '<n>',
        help: ['catalog components to seed (default 2000)'],
      },
      {
        name: 'deployments',
        value: '<n>',
        help: ['deployments per component and environment (default 20)'],
      },
      {
        name: 'iterations',
        value: '<n>',
        help: ['measured rounds of the latency phase (default 500)'],
      },
      {
        name: 'warmup',
        value: '<n>',
        help: ['rounds thrown away first (default 50)'],
      },
      {
        name: 'concurrency',
        value: '<n>',
        help: ['clients in the throughput phase (default 4)'],
      },
      {
        name: 'throughput-seconds',
        value: '<n>',
        help: ['throughput phase length per operation (default 10)'],
      },
    ],
    keeps: 'the databases and the backend log',
  });
  const options: BenchOptions = {
    ...run,
    components: wholeNumber('components', values.components, 2000),
    deploymentsPerPair: wholeNumber('deployments', values.deployments, 20),
    iterations: wholeNumber('iterations', values.iterations, 500),
    warmup: wholeNumber('warmup', values.warmup, 50),
    concurrency: wholeNumber('concurrency', values.concurrency, 4),
    throughputSeconds: wholeNumber(
      'throughput-seconds',
      values['throughput-seconds'],
      10,
    ),
  };
  if (options.components < 1 || options.deploymentsPerPair < 1) {
    throw new Error('--components and --deployments must be at least 1');
  }
  if (options.iterations < 1 || options.concurrency < 1) {
    throw new Error('--iterations and --concurrency must be at least 1');
  }
  return options;
}
