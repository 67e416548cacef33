import { performance } from 'node:perf_hooks';
import { Operation } from './operations';
import { LatencySummary, shuffle, summarize } from '@internal/bench-shared';

/** Latency of each timing, one client, operations interleaved. */
export interface LatencyPhaseResult {
  rounds: number;
  warmupRounds: number;
  seconds: number;
  timings: Record<string, LatencySummary>;
  /** Response size of each operation's main request, last seen. */
  responseBytes: Record<string, number>;
}

/**
 * One client, one request at a time. Each round runs every operation once in
 * a fresh random order, so that whatever else the machine does at a moment
 * (it is shared) falls on all operations alike instead of on whichever ran
 * then; and the deploy writes land between the reads, as they do in use.
 * The warm-up rounds (JIT, connection pools, caches) are not recorded.
 */
export async function latencyPhase(
  operations: Operation[],
  options: {
    rounds: number;
    warmupRounds: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<LatencyPhaseResult> {
  const samples: Record<string, number[]> = {};
  const responseBytes: Record<string, number> = {};
  const total = options.warmupRounds + options.rounds;
  let started = 0;
  for (let round = 0; round < total; round++) {
    if (round === options.warmupRounds) started = performance.now();
    for (const operation of shuffle(operations)) {
      const result = await operation.run(0, 1);
      responseBytes[operation.name] = result.bytes;
      if (round < options.warmupRounds) continue;
      for (const [name, ms] of Object.entries(result.timings)) {
        (samples[name] ??= []).push(ms);
      }
    }
    options.onProgress?.(round + 1, total);
  }
  return {
    rounds: options.rounds,
    warmupRounds: options.warmupRounds,
    seconds: (performance.now() - started) / 1000,
    timings: Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [name, summarize(s)]),
    ),
    responseBytes,
  };
}

/** How much one operation sustains with several clients at once. */
export interface ThroughputResult {
  operation: string;
  concurrency: number;
  seconds: number;
  completed: number;
  perSecond: number;
  /** Latency of the operation's main timing under that load. */
  latency: LatencySummary;
}

/**
 * `concurrency` clients run one operation back to back for `seconds`; the
 * rate is what completed divided by the time until the last one finished.
 */
export async function throughputPhase(
  operation: Operation,
  options: { concurrency: number; seconds: number },
): Promise<ThroughputResult> {
  const samples: number[] = [];
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const result = await operation.run(worker, options.concurrency);
        samples.push(result.timings[operation.name]);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    operation: operation.name,
    concurrency: options.concurrency,
    seconds,
    completed: samples.length,
    perSecond: samples.length / seconds,
    latency: summarize(samples),
  };
}
