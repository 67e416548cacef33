import {
  machineLines,
  MachineInfo,
  ms,
  RecordedOptions,
  table,
} from '@internal/bench-shared';
import { BenchOptions } from './options';
import { LatencyPhaseResult, ThroughputResult } from './phases';
import { SeedSummary } from './seedDeployments';

/** Everything a run produced: what the JSON file holds. */
export interface BenchResult {
  benchmark: 'environments';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: RecordedOptions<BenchOptions>;
  dataset: {
    components: number;
    catalogEntities: number;
    environments: number;
    deploymentsSeeded: number;
    deploymentHeads: number;
  };
  setupSeconds: {
    backendReady: number;
    catalogStitched: number;
    seedDeployments: number;
  };
  seed: SeedSummary;
  latency: LatencyPhaseResult;
  throughput: ThroughputResult[];
}

/** What each timing is, for the table. */
export const TIMING_LABELS: Record<string, string> = {
  matrix: 'matrix: GET /deployments/current?component=',
  environment: 'environment: GET /deployments/current?environment=',
  deployWrite: 'deploy write: POST /deployments + status',
  deploy: '  of which POST /deployments',
  report: '  of which POST /deployments/{id}/status',
  catalogQuery: 'catalog: POST /entities/by-query limit 50',
};

/** The figures as text tables, with the machine and the dataset. */
export function formatResult(result: BenchResult): string {
  const { machine, latency, dataset } = result;
  const out: string[] = [];
  out.push(
    ...machineLines(machine),
    `Dataset: ${dataset.components} components (${dataset.catalogEntities} catalog entities), ${dataset.environments} environments, ${dataset.deploymentsSeeded} deployments`,
    '',
    `Latency in ms: one client, ${
      latency.rounds
    } rounds of every operation in random order after ${
      latency.warmupRounds
    } warm-up rounds (${latency.seconds.toFixed(0)} s)`,
  );
  const order = Object.keys(TIMING_LABELS).filter(k => latency.timings[k]);
  out.push(
    table(
      ['operation', 'n', 'mean', 'p50', 'p95', 'p99', 'max', 'KiB'],
      order.map(name => {
        const s = latency.timings[name];
        const bytes = latency.responseBytes[name];
        return [
          TIMING_LABELS[name],
          String(s.count),
          ms(s.mean),
          ms(s.p50),
          ms(s.p95),
          ms(s.p99),
          ms(s.max),
          bytes === undefined ? '' : (bytes / 1024).toFixed(1),
        ];
      }),
    ),
  );
  if (result.throughput.length) {
    const c = result.throughput[0].concurrency;
    out.push(
      `Throughput: ${c} clients at once, each operation alone for ${result.options.throughputSeconds} s`,
      table(
        ['operation', 'done', 'req/s', 'p50', 'p95', 'p99'],
        result.throughput.map(t => [
          TIMING_LABELS[t.operation],
          String(t.completed),
          t.perSecond.toFixed(1),
          ms(t.latency.p50),
          ms(t.latency.p95),
          ms(t.latency.p99),
        ]),
      ),
    );
  }
  return out.join('\n');
}
