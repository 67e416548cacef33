/*
 * The pipelines benchmark: `yarn bench:pipelines [--sqlite] [...]` from the
 * repository root (`--help` lists the options). See README.md.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  BenchClient,
  BenchRun,
  benchmarkMain,
  catalogProgress,
  endProgress,
  loadAverage,
  log,
  progress,
  publishResult,
  recordedOptions,
  secondsSince,
  signIn,
  startBenchBackend,
  withBenchRun,
} from '@internal/bench-shared';
import { PipelineRunView } from '@internal/plugin-pipelines-common';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AcceptResult, acceptPhase, sustained } from './acceptPhase';
import { BENCH_TEAM, BENCH_USER, catalogFile } from './catalog';
import { BenchOptions, parseOptions } from './options';
import {
  overheadCommands,
  overheadPhase,
  overheadSummary,
} from './overheadPhase';
import { BenchResult, formatResult } from './report';
import {
  branchWithPipeline,
  createRepository,
  sequentialPipeline,
} from './repositories';
import { waitForRunOf, waitUntilIdle } from './runsApi';
import { startLatencyPhase } from './startLatencyPhase';
import { sendPush, signedPush } from './webhooks';

const COMPONENTS = {
  accept: 'component:default/bench-accept',
  latency: 'component:default/bench-latency',
  steps: 'component:default/bench-steps',
};

/**
 * Waits until the catalog serves the components the pushes are matched to,
 * and the user's token claims the team that owns them (to cancel a run).
 */
async function waitForCatalog(client: BenchClient, count: number) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { components, ownership } = await catalogProgress(client);
    const member = ownership.includes(BENCH_TEAM);
    if (components >= count && member) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog had ${components} of ${count} components after 180 s${
          member ? '' : `, and the user's token did not claim ${BENCH_TEAM}`
        }`,
      );
    }
    await sleep(1000);
  }
}

async function run(options: BenchOptions, benchRun: BenchRun) {
  const { startedAt, machine, work } = benchRun;
  const oneTrueStep = sequentialPipeline(['true']);
  const repositories = {
    accept: createRepository(work, 'bench/accept', oneTrueStep),
    latency: createRepository(work, 'bench/latency', oneTrueStep),
    steps: createRepository(
      work,
      'bench/steps',
      sequentialPipeline(overheadCommands(options.steps)),
    ),
  };
  const catalogPath = join(work, 'catalog.yaml');
  writeFileSync(
    catalogPath,
    catalogFile([
      { name: 'bench-accept', repository: repositories.accept },
      { name: 'bench-latency', repository: repositories.latency },
      { name: 'bench-steps', repository: repositories.steps },
    ]),
  );

  const secret = randomBytes(32).toString('hex');
  const {
    backend,
    baseUrl,
    readySeconds: backendReady,
  } = await startBenchBackend(benchRun, {
    entry: resolvePackagePath('@internal/bench-pipelines', 'src/backend.ts'),
    user: BENCH_USER,
    catalogFile: catalogPath,
    config: {
      events: {
        http: { topics: ['github'] },
        modules: { github: { webhookSecret: secret } },
      },
      pipelines: {
        // One run of a component at a time: the accept phase holds the
        // slot of its component with a long run (see below).
        engine: { perComponentLimit: 1 },
        executors: {
          local: { enabled: true, workspaceRoot: join(work, 'workspaces') },
        },
      },
    },
  });

  const client = new BenchClient(baseUrl);
  const mark = performance.now();
  await waitForCatalog(client, Object.keys(COMPONENTS).length);
  const catalogReady = secondsSince(mark);
  log(`Catalog serves the components after ${catalogReady.toFixed(1)} s`);

  // Warm-up (not measured): JIT, connection pools, the first checkouts.
  // It also checks that a push is matched and its run succeeds.
  const acceptPush = await signedPush(
    secret,
    repositories.accept,
    repositories.accept.head,
  );
  for (let i = 0; i < 50; i++) {
    const answer = await sendPush(baseUrl, acceptPush);
    if (answer.status !== 202) {
      throw new Error(
        `A warm-up push was answered ${answer.status}${
          answer.error ? ` (${answer.error})` : ''
        }; the backend's log ends:\n${backend.logTail()}`,
      );
    }
  }
  const { data: deliveries } = await client.expect<{
    items: Array<{ status: string; reason?: string }>;
  }>(200, 'GET', `/api/pipelines/deliveries?limit=1&component=bench-accept`);
  if (deliveries.items[0]?.status !== 'matched') {
    throw new Error(
      `A warm-up push was recorded as ${deliveries.items[0]?.status}: ${deliveries.items[0]?.reason}`,
    );
  }
  await waitUntilIdle(client, COMPONENTS.accept, 120_000);

  // The accept phase measures the backend taking pushes in: the ingress,
  // the signature, the catalog lookup, the delivery, the run queued (each
  // superseding the one before). A long run on another branch holds the
  // component's one run slot, so the queued runs wait and no checkout
  // competes with the ingress for the cores, as when the runs execute on
  // an executor elsewhere.
  const holdCommit = branchWithPipeline(
    repositories.accept,
    'hold',
    sequentialPipeline(['sleep 900']),
  );
  const holdPush = await signedPush(
    secret,
    repositories.accept,
    holdCommit,
    'hold',
  );
  if ((await sendPush(baseUrl, holdPush)).status !== 202) {
    throw new Error('The push that holds the run slot was refused');
  }
  const hold = await waitForRunOf(
    client,
    COMPONENTS.accept,
    holdCommit,
    r => r.status === 'running',
    { intervalMs: 100, timeoutMs: 60_000 },
  );

  const ramp: Array<AcceptResult & { sustained: boolean }> = [];
  let maxSustainedRate: number | undefined;
  for (const rate of options.rampRates) {
    log(`Ramp: ${rate} pushes/s for ${options.rampSeconds} s, open loop`);
    const result = await acceptPhase(baseUrl, acceptPush, {
      rate,
      seconds: options.rampSeconds,
    });
    const held = sustained(result, options.maxP99Ms);
    ramp.push({ ...result, sustained: held });
    await sleep(2000);
    if (!held) break;
    maxSustainedRate = rate;
  }
  const sustainedRate =
    options.rate ?? maxSustainedRate ?? options.rampRates[0];
  log(
    `Accept phase: ${sustainedRate} pushes/s for ${options.seconds} s, open loop`,
  );
  const sustainedResult = await acceptPhase(baseUrl, acceptPush, {
    rate: sustainedRate,
    seconds: options.seconds,
  });
  const { data: cancelled } = await client.expect<PipelineRunView>(
    200,
    'POST',
    `/api/pipelines/runs/${encodeURIComponent(hold.id)}/cancel`,
  );
  if (cancelled.status === 'succeeded') {
    throw new Error('The run holding the slot ended before it was cancelled');
  }
  await waitUntilIdle(client, COMPONENTS.accept, 300_000);

  // The same pushes with each run started here as it is queued: the local
  // executor's checkouts (cancelled by the next push) share the cores.
  log(
    `Accept phase with runs executing: ${sustainedRate} pushes/s for ${options.rampSeconds} s`,
  );
  const executingResult = await acceptPhase(baseUrl, acceptPush, {
    rate: sustainedRate,
    seconds: options.rampSeconds,
  });
  await waitUntilIdle(client, COMPONENTS.accept, 300_000);

  log(`Push to run started: ${options.pushes} pushes`);
  client.setToken((await signIn(client)).token);
  const startLatency = await startLatencyPhase({
    baseUrl,
    client,
    secret,
    repository: repositories.latency,
    component: COMPONENTS.latency,
    pushes: options.pushes,
    onProgress: done => progress(`push ${done}/${options.pushes}`),
  });
  endProgress();

  log(
    `Overhead: ${options.steps}-step pipeline and the same sh script, ${options.repeats} times each`,
  );
  client.setToken((await signIn(client)).token);
  const overhead = await overheadPhase({
    baseUrl,
    client,
    secret,
    repository: repositories.steps,
    component: COMPONENTS.steps,
    steps: options.steps,
    repeats: options.repeats,
    workDir: work,
    onProgress: done => progress(`repeat ${done}/${options.repeats}`),
  });
  endProgress();
  machine.loadAverageAtEnd = loadAverage();

  const result: BenchResult = {
    benchmark: 'pipelines',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options: recordedOptions(options),
    setupSeconds: { backendReady, catalogReady },
    accept: {
      sustained: sustainedResult,
      ramp,
      maxSustainedRate,
      runsExecuting: executingResult,
    },
    startLatency,
    overhead: { ...overhead, summary: overheadSummary(overhead) },
  };
  publishResult(result, formatResult(result), options.resultsDir);
}

benchmarkMain('pipelines', parseOptions, options =>
  withBenchRun(
    {
      benchmark: 'pipelines',
      postgresPrefix: 'bench_pl',
      workHolds: 'Backend log, config and repositories',
    },
    options,
    benchRun => run(options, benchRun),
  ),
);
