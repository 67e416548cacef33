/*
 * The environments benchmark: `yarn bench:environments [--sqlite] [...]`
 * from the repository root (`--help` lists the options). See README.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  BackendProcess,
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
  waitUntilResponsive,
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
import { BenchResult, formatResult, writeResult } from './report';
import { seedDeployments } from './seedDeployments';

const seconds = (since: number) => (performance.now() - since) / 1000;

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
    const { token, ownership } = await signIn(client);
    client.setToken(token);
    const { data } = await client.expect<{ totalItems: number }>(
      200,
      'POST',
      '/api/catalog/entities/by-query',
      { query: { kind: 'component' }, limit: 1 },
    );
    const member = org.userTeams.every(team => ownership.includes(team));
    progress(
      `catalog: ${data.totalItems}/${
        org.components.length
      } components stitched, user's teams ${
        member ? 'claimed' : 'not yet claimed'
      }`,
    );
    if (data.totalItems >= org.components.length && member) {
      endProgress();
      return;
    }
    if (Date.now() > deadline) {
      endProgress();
      throw new Error(
        `The catalog had ${data.totalItems} of ${
          org.components.length
        } components after ${timeoutMs / 1000} s`,
      );
    }
    await sleep(2000);
  }
}

async function run(options: BenchOptions) {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const id = runId();
  const work = mkdtempSync(join(tmpdir(), 'bench-environments-run-'));
  const logPath = join(work, 'backend.log');
  const cleanups = new Cleanups();
  let failed = true;

  cleanups.add(async () => {
    if (options.keep || failed) {
      log(`Backend log and config kept in ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  });

  try {
    const databases: RunDatabases =
      options.database === 'postgres'
        ? await postgresDatabases(options.postgresUrl, `bench_env_${id}_`)
        : await sqliteDatabases('bench-environments-');
    cleanups.add(() => databases.close({ keep: options.keep }));
    machine.database = await databases.version();
    log(
      `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}`,
    );
    log(`Databases: ${databases.description}`);

    const org = benchOrganisation(options.components);
    const catalogFile = join(work, 'catalog.yaml');
    writeFileSync(catalogFile, toCatalogFile(org.entities));
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
                // The backend runs with NODE_ENV=production, as deployed;
                // guest sign-in is how the benchmark gets real user tokens
                // without an identity provider.
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
            locations: [{ type: 'file', target: catalogFile }],
          },
          permission: {
            enabled: true,
            platform: { adminGroups: ['group:default/platform-admins'] },
          },
          environments: { initial: BENCH_ENVIRONMENTS },
        },
        null,
        2,
      ),
    );

    log(`Starting the backend on ${baseUrl} (log: ${logPath})`);
    let mark = performance.now();
    const backend: BackendProcess = await startBackend({
      entry: resolvePackagePath(
        '@internal/bench-environments',
        'src/backend.ts',
      ),
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
    log(
      `Waiting for the catalog to process and stitch ${org.entities.length} entities`,
    );
    await waitForCatalog(client, org, 30 * 60_000);
    const catalogStitched = seconds(mark);
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
    const seedSeconds = seconds(mark);
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

    const { postgresUrl: _url, resultsDir: _dir, ...recorded } = options;
    const result: BenchResult = {
      benchmark: 'environments',
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      options: recorded,
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
    const file = writeResult(result, options.resultsDir);
    process.stdout.write(`\n${formatResult(result)}\n`);
    log(`Result written to ${file}`);
    failed = false;
  } finally {
    await cleanups.run();
  }
}

requireNode22('environments');

let options: BenchOptions;
try {
  options = parseOptions(
    process.argv.slice(2),
    resolvePackagePath('@internal/bench-environments', '..', 'results'),
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
run(options).catch(error => {
  log(`Failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
