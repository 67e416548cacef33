/*
 * The environments benchmark: `yarn bench:environments [--sqlite] [...]`
 * from the repository root (`--help` lists the options). See README.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
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
  waitUntilResponsive,
  withBenchRun,
} from '@internal/bench-shared';
import { BENCH_ENVIRONMENTS } from './benchEnvironments';
import {
  BENCH_USER,
  BenchOrganisation,
  benchOrganisation,
  toCatalogFile,
} from './catalogEntities';
import { createOperations } from './operations';
import { BenchOptions, parseOptions } from './options';
import { latencyPhase, ThroughputResult, throughputPhase } from './phases';
import { BenchResult, formatResult } from './report';
import { seedDeployments } from './seedDeployments';

/**
 * Waits until the catalog serves every seeded component and the user's
 * token claims their teams, i.e. the entities are processed and stitched.
 */
async function waitForCatalog(
  client: BenchClient,
  org: BenchOrganisation,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Before the user entity exists the guest provider still signs in,
    // with the user alone as ownership claim.
    const { components, ownership } = await catalogProgress(client);
    const member = org.userTeams.every(team => ownership.includes(team));
    progress(
      `catalog: ${components}/${
        org.components.length
      } components stitched, user's teams ${
        member ? 'claimed' : 'not yet claimed'
      }`,
    );
    if (components >= org.components.length && member) {
      endProgress();
      return;
    }
    if (Date.now() > deadline) {
      endProgress();
      throw new Error(
        `The catalog had ${components} of ${
          org.components.length
        } components after ${timeoutMs / 1000} s`,
      );
    }
    await sleep(2000);
  }
}

async function run(options: BenchOptions, benchRun: BenchRun) {
  const { startedAt, machine, work, databases } = benchRun;
  const org = benchOrganisation(options.components);
  const catalogFile = join(work, 'catalog.yaml');
  writeFileSync(catalogFile, toCatalogFile(org.entities));
  const { baseUrl, readySeconds: backendReady } = await startBenchBackend(
    benchRun,
    {
      entry: resolvePackagePath(
        '@internal/bench-environments',
        'src/backend.ts',
      ),
      user: BENCH_USER,
      catalogFile,
      config: { environments: { initial: BENCH_ENVIRONMENTS } },
    },
  );

  const client = new BenchClient(baseUrl);
  let mark = performance.now();
  log(
    `Waiting for the catalog to process and stitch ${org.entities.length} entities`,
  );
  await waitForCatalog(client, org, 30 * 60_000);
  const catalogStitched = secondsSince(mark);
  log(`Catalog stitched in ${catalogStitched.toFixed(1)} s`);

  const environments = BENCH_ENVIRONMENTS.map(e => e.name);
  log(
    `Seeding ${
      org.components.length * environments.length * options.deploymentsPerPair
    } deployments (not measured)`,
  );
  mark = performance.now();
  const seed = await seedDeployments(databases.plugin('environments'), {
    components: org.components,
    environments,
    perPair: options.deploymentsPerPair,
    onProgress: (done, total) => progress(`seeded ${done}/${total}`),
  });
  endProgress();
  await databases.analyze('environments');
  await databases.analyze('catalog');
  await waitUntilResponsive(baseUrl, 60_000);
  const seedSeconds = secondsSince(mark);
  log(
    `Seeded ${seed.deployments} deployments and ${
      seed.heads
    } heads in ${seedSeconds.toFixed(1)} s`,
  );

  // What was seeded reads back through the API as the store wrote it.
  const sample = org.components[0];
  const { data: history } = await client.expect<{ items: unknown[] }>(
    200,
    'GET',
    `/api/environments/deployments?component=${encodeURIComponent(
      sample,
    )}&environment=${environments[0]}&limit=100`,
  );
  if (history.items.length !== options.deploymentsPerPair) {
    throw new Error(
      `The history of ${sample} in ${environments[0]} has ${history.items.length} deployments, expected ${options.deploymentsPerPair}`,
    );
  }

  const operations = createOperations({
    client,
    components: org.components,
    deployable: org.ownedByUser,
    environments,
    deployTargets: BENCH_ENVIRONMENTS.filter(e => !e.protected).map(
      e => e.name,
    ),
  });

  client.setToken((await signIn(client)).token);
  log(
    `Latency phase: ${options.warmup} warm-up and ${options.iterations} measured rounds of ${operations.length} operations`,
  );
  const latency = await latencyPhase(operations, {
    rounds: options.iterations,
    warmupRounds: options.warmup,
    onProgress: (done, total) => progress(`round ${done}/${total}`),
  });
  endProgress();

  const throughput: ThroughputResult[] = [];
  if (options.throughputSeconds > 0) {
    client.setToken((await signIn(client)).token);
    for (const operation of operations) {
      log(
        `Throughput phase: ${operation.name}, ${options.concurrency} clients for ${options.throughputSeconds} s`,
      );
      throughput.push(
        await throughputPhase(operation, {
          concurrency: options.concurrency,
          seconds: options.throughputSeconds,
        }),
      );
    }
  }
  machine.loadAverageAtEnd = loadAverage();

  const result: BenchResult = {
    benchmark: 'environments',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    options: recordedOptions(options),
    dataset: {
      components: org.components.length,
      catalogEntities: org.entities.length + 1, // and the file's Location
      environments: environments.length,
      deploymentsSeeded: seed.deployments,
      deploymentHeads: seed.heads,
    },
    setupSeconds: {
      backendReady,
      catalogStitched,
      seedDeployments: seedSeconds,
    },
    seed,
    latency,
    throughput,
  };
  publishResult(result, formatResult(result), options.resultsDir);
}

benchmarkMain('environments', parseOptions, options =>
  withBenchRun(
    {
      benchmark: 'environments',
      postgresPrefix: 'bench_env',
      workHolds: 'Backend log and config',
    },
    options,
    benchRun => run(options, benchRun),
  ),
);
