import {
  parseBenchArgs,
  RunOptions,
  wholeNumber,
} from '@internal/bench-shared';

/** What one run of the benchmark does; every field has a flag. */
export interface BenchOptions extends RunOptions {
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
}

const count = (name: string, value: string | undefined, fallback: number) =>
  wholeNumber(name, value, fallback, 1);

/** Reads the command line; prints the usage and exits on --help. */
export function parseOptions(argv: string[]): BenchOptions {
  const { run, values } = parseBenchArgs(argv, {
    command: 'yarn bench:pipelines',
    about: `Starts a real backend (auth with the guest provider, catalog, permission with
the platform policy, events with the signed-webhooks ingress, pipelines with
the local executor) and measures signed GitHub pushes through the HTTP ingress,
push-to-run-started latency and the engine's overhead per step.`,
    flags: [
      {
        name: 'ramp',
        value: '<a,b,...>',
        help: [
          'rates tried, in order, for the highest sustainable',
          'one (default 5,10,15,20,30,40,60,80,120,160,240)',
        ],
      },
      {
        name: 'rate',
        value: '<n>',
        help: [
          'pushes per second in the sustained phase (default',
          'the highest rate the ramp held)',
        ],
      },
      {
        name: 'seconds',
        value: '<n>',
        help: ['length of the sustained phase (default 20)'],
      },
      {
        name: 'ramp-seconds',
        value: '<n>',
        help: ['length of each ramp rate (default 5)'],
      },
      {
        name: 'max-p99',
        value: '<ms>',
        help: ['a rate holds while p99 stays within this (default 1000)'],
      },
      {
        name: 'pushes',
        value: '<n>',
        help: ['pushes timed from send to run started (default 20)'],
      },
      {
        name: 'steps',
        value: '<n>',
        help: ['steps of the overhead pipeline (default 20)'],
      },
      {
        name: 'repeats',
        value: '<n>',
        help: ['runs of the overhead pipeline and script (default 5)'],
      },
    ],
    keeps: 'the databases, repositories and backend log',
  });
  const ramp = values.ramp ?? '5,10,15,20,30,40,60,80,120,160,240';
  const options: BenchOptions = {
    ...run,
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
  };
  if (options.rate === undefined && options.rampRates.length === 0) {
    throw new Error('Without a ramp, --rate is needed');
  }
  return options;
}
