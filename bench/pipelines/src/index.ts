/*
 * The pipelines benchmark: `yarn bench:pipelines [--sqlite] [...]` from the
 * repository root (`--help` lists the options). See README.md.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  BenchClient,
  Cleanups,
  endProgress,
  freePort,
  loadAverage,
  log,
  machineInfo,
  postgresDatabases,
  progress,
  requireNode22,
  RunDatabases,
  runId,
  signIn,
  sqliteDatabases,
  startBackend,
} from '@internal/bench-shared';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { BenchResult, formatResult, writeResult } from './report';
import {
  branchWithPipeline,
  createRepository,
  sequentialPipeline,
} from './repositories';
import { ApiRun, waitForRunOf, waitUntilIdle } from './runsApi';
import { startLatencyPhase } from './startLatencyPhase';
import { sendPush, signedPush } from './webhooks';

const seconds = (since: number) => (performance.now() - since) / 1000;

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
    const { token, ownership } = await signIn(client);
    client.setToken(token);
    const { data } = await client.expect<{ totalItems: number }>(
      200,
      'POST',
      '/api/catalog/entities/by-query',
      { query: { kind: 'component' }, limit: 1 },
    );
    const member = ownership.includes(BENCH_TEAM);
    if (data.totalItems >= count && member) return;
    if (Date.now() > deadline) {
      throw new Error(
        `The catalog had ${data.totalItems} of ${count} components after 180 s${
          member ? '' : `, and the user's token did not claim ${BENCH_TEAM}`
        }`,
      );
    }
    await sleep(1000);
  }
}

async function run(options: BenchOptions) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const id = runId();
  const work = mkdtempSync(join(tmpdir(), 'bench-pipelines-run-'));
  const logPath = join(work, 'backend.log');
  const cleanups = new Cleanups();
  let failed = true;
  cleanups.add(async () => {
    if (options.keep || failed) {
      log(`Backend log, config and repositories kept in ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  });

  try {
    const databases: RunDatabases =
      options.database === 'postgres'
        ? await postgresDatabases(options.postgresUrl, `bench_pl_${id}_`)
        : await sqliteDatabases('bench-pipelines-');
    cleanups.add(() => databases.close({ keep: options.keep }));
    machine.database = await databases.version();
    log(
      `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}`,
    );
    log(`Databases: ${databases.description}`);

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
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const configPath = join(work, 'app-config.bench.yaml');
    // JSON is YAML; the backend reads it with --config.
    writeFileSync(
      configPath,
      JSON.stringify(
        {
          app: { baseUrl },
          backend: {
            baseUrl,
            listen: { host: '127.0.0.1', port },
            database: databases.backendConfig,
          },
          auth: {
            providers: {
              guest: {
                userEntityRef: BENCH_USER,
                // NODE_ENV=production, as deployed; guest sign-in gives the
                // runs API a real user token without an identity provider.
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
            locations: [{ type: 'file', target: catalogPath }],
          },
          permission: {
            enabled: true,
            platform: { adminGroups: ['group:default/platform-admins'] },
          },
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
        null,
        2,
      ),
    );

    log(`Starting the backend on ${baseUrl} (log: ${logPath})`);
    let mark = performance.now();
    const backend = await startBackend({
      entry: resolvePackagePath('@internal/bench-pipelines', 'src/backend.ts'),
      configPath,
      logPath,
      baseUrl,
      timeoutMs: 180_000,
    });
    cleanups.add(() => backend.stop());
    const backendReady = seconds(mark);
    log(`Backend ready in ${backendReady.toFixed(1)} s (pid ${backend.pid})`);

    const client = new BenchClient(baseUrl);
    mark = performance.now();
    await waitForCatalog(client, Object.keys(COMPONENTS).length);
    const catalogReady = seconds(mark);
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
    const { data: cancelled } = await client.expect<ApiRun>(
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

    const { postgresUrl: _url, resultsDir: _dir, ...recorded } = options;
    const result: BenchResult = {
      benchmark: 'pipelines',
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      options: recorded,
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
    const file = writeResult(result, options.resultsDir);
    process.stdout.write(`\n${formatResult(result)}\n`);
    log(`Result written to ${file}`);
    failed = false;
  } finally {
    await cleanups.run();
  }
}

requireNode22('pipelines');

let options: BenchOptions;
try {
  options = parseOptions(
    process.argv.slice(2),
    resolvePackagePath('@internal/bench-pipelines', '..', 'results'),
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
run(options).catch(error => {
  log(`Failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
