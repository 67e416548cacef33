import {
  machineLines,
  MachineInfo,
  ms,
  RecordedOptions,
  table,
} from '@internal/bench-shared';
import { AcceptResult } from './acceptPhase';
import { BenchOptions } from './options';
import { OverheadResult, overheadSummary } from './overheadPhase';
import { StartLatencyResult } from './startLatencyPhase';

/** Everything a run produced: what the JSON file holds. */
export interface BenchResult {
  benchmark: 'pipelines';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: RecordedOptions<BenchOptions>;
  setupSeconds: { backendReady: number; catalogReady: number };
  accept: {
    sustained: AcceptResult;
    ramp: Array<AcceptResult & { sustained: boolean }>;
    /** The highest ramp rate sustained before the first that was not. */
    maxSustainedRate?: number;
    /** At the sustained rate, with each run executing on this host. */
    runsExecuting: AcceptResult;
  };
  startLatency: StartLatencyResult;
  overhead: OverheadResult & { summary: ReturnType<typeof overheadSummary> };
}

const rate = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');

function acceptRow(label: string, r: AcceptResult, verdict = ''): string[] {
  const refused = Object.entries(r.refused)
    .map(([status, n]) => `${n}×${status}`)
    .join(' ');
  return [
    label,
    String(r.offered),
    String(r.accepted),
    rate(r.acceptedPerSecond),
    ms(r.latency.p50),
    ms(r.latency.p95),
    ms(r.latency.p99),
    ms(r.latency.max),
    [refused, r.notSent ? `${r.notSent} not sent` : '', verdict]
      .filter(Boolean)
      .join(', '),
  ];
}

/** The figures as text tables, with the machine. */
export function formatResult(result: BenchResult): string {
  const { machine, accept, startLatency, overhead } = result;
  const out: string[] = [];
  out.push(
    ...machineLines(machine),
    '',
    'Signed GitHub pushes through POST /api/events/http/github (signature checked, delivery',
    'recorded, run queued) - open loop, latency in ms from when each push was due to its 202.',
    'Runs held: they wait queued (the slot is taken), as with an executor elsewhere;',
    'runs executing: each starts on this host at once (local executor), cancelled by the next push.',
    table(
      ['rate', 'sent', '202', 'accepted/s', 'p50', 'p95', 'p99', 'max', ''],
      [
        ...accept.ramp.map(r =>
          acceptRow(
            `runs held: ramp ${r.rate}/s for ${r.seconds} s`,
            r,
            r.sustained ? 'held' : 'not held',
          ),
        ),
        acceptRow(
          `runs held: ${accept.sustained.rate}/s for ${accept.sustained.seconds} s`,
          accept.sustained,
        ),
        acceptRow(
          `runs executing: ${accept.runsExecuting.rate}/s for ${accept.runsExecuting.seconds} s`,
          accept.runsExecuting,
        ),
      ],
    ),
    accept.ramp.length
      ? `Highest rate sustained (every push accepted, >= 90 % of the rate, p99 <= ${
          result.options.maxP99Ms
        } ms): ${
          accept.maxSustainedRate === undefined
            ? `none of ${accept.ramp.map(r => r.rate).join(', ')}`
            : `${accept.maxSustainedRate}/s`
        }${
          accept.maxSustainedRate === accept.ramp[accept.ramp.length - 1]?.rate
            ? ' (the highest tried)'
            : ''
        }`
      : 'Ramp skipped',
    '',
    `Push to run started, ${startLatency.pushes} pushes one at a time (ms)`,
    table(
      ['', 'p50', 'p95', 'max'],
      [
        ['push answered (202)', startLatency.accept],
        ['push sent -> run startedAt (backend clock)', startLatency.toStarted],
        [
          'push sent -> client sees it running (10 ms polls)',
          startLatency.toSeenRunning,
        ],
        [
          'run createdAt -> startedAt (in the queue)',
          startLatency.queuedToStarted,
        ],
      ].map(([label, s]: any) => [label, ms(s.p50), ms(s.p95), ms(s.max)]),
    ),
  );
  const s = overhead.summary;
  out.push(
    `Orchestration overhead: ${overhead.steps} echo steps in a chain, engine with the local executor vs sh; medians of ${overhead.repeats} (ms)`,
    table(
      ['', 'wall', 'per step'],
      [
        [
          'engine: whole run (checkout, definition, steps, release)',
          s.runWall,
          s.runWall / overhead.steps,
        ],
        ['engine: of which .checkout', s.checkout, NaN],
        [
          'engine: first step start -> last step end',
          s.stepsWall,
          s.stepsWall / overhead.steps,
        ],
        [
          'plain sh script, the same commands',
          s.shellScript,
          s.shellScript / overhead.steps,
        ],
        [
          'one sh -c per command from Node',
          s.shellPerStep,
          s.shellPerStep / overhead.steps,
        ],
        [
          'overhead: engine steps - sh script',
          s.overheadTotal,
          s.overheadPerStep,
        ],
        [
          'overhead: whole run - sh script',
          s.runOverheadTotal,
          s.runOverheadPerStep,
        ],
        [
          'beyond one process per step: engine steps - sh -c each',
          NaN,
          s.beyondSpawnPerStep,
        ],
      ].map(([label, wall, per]: any) => [label, ms(wall), ms(per)]),
    ),
  );
  return out.join('\n');
}
