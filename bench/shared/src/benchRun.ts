import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BackendProcess, freePort, startBackend } from './backendProcess';
import { Cleanups } from './cleanups';
import { log, requireNode22, runId } from './console';
import { postgresDatabases, RunDatabases, sqliteDatabases } from './database';
import { MachineInfo, machineInfo } from './machine';
import { RunOptions } from './options';

/** Seconds since a `performance.now()` mark. */
export const secondsSince = (mark: number) => (performance.now() - mark) / 1000;

/** One run of a benchmark, from its databases to its clean-up. */
export interface BenchRun {
  startedAt: string;
  machine: MachineInfo;
  /**
   * The run's temporary folder (config, backend log and whatever the
   * benchmark adds); removed at the end unless kept or the run failed.
   */
  work: string;
  databases: RunDatabases;
  cleanups: Cleanups;
}

/**
 * Runs `body` with fresh databases (PostgreSQL ones named
 * `<postgresPrefix>_<run>_<plugin>`, or SQLite files) and a work folder,
 * and undoes everything afterwards, also when it fails or is interrupted.
 * A failed run keeps its work folder, for the backend's log.
 */
export async function withBenchRun(
  spec: {
    benchmark: string;
    postgresPrefix: string;
    /** What the work folder holds, for the line saying it was kept. */
    workHolds: string;
  },
  options: RunOptions,
  body: (run: BenchRun) => Promise<void>,
): Promise<void> {
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const id = runId();
  const work = mkdtempSync(join(tmpdir(), `bench-${spec.benchmark}-run-`));
  const cleanups = new Cleanups();
  let failed = true;
  cleanups.add(async () => {
    if (options.keep || failed) {
      log(`${spec.workHolds} kept in ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  });

  try {
    const databases: RunDatabases =
      options.database === 'postgres'
        ? await postgresDatabases(
            options.postgresUrl,
            `${spec.postgresPrefix}_${id}_`,
          )
        : await sqliteDatabases(`bench-${spec.benchmark}-`);
    cleanups.add(() => databases.close({ keep: options.keep }));
    machine.database = await databases.version();
    log(
      `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}`,
    );
    log(`Databases: ${databases.description}`);
    await body({ startedAt, machine, work, databases, cleanups });
    failed = false;
  } finally {
    await cleanups.run();
  }
}

/**
 * Starts the benchmark's backend (its `src/backend.ts`) on a free port with
 * a config of its own in the run's folder: the run's databases, guest
 * sign-in as `user`, the catalog from `catalogFile`, permissions with the
 * platform policy, and the benchmark's own top-level keys (`config`).
 * Stopped by the run's clean-up.
 */
export async function startBenchBackend(
  run: BenchRun,
  spec: {
    entry: string;
    user: string;
    catalogFile: string;
    config: Record<string, unknown>;
  },
): Promise<{ backend: BackendProcess; baseUrl: string; readySeconds: number }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configPath = join(run.work, 'app-config.bench.yaml');
  const logPath = join(run.work, 'backend.log');
  // JSON is YAML; the backend reads it with --config.
  writeFileSync(
    configPath,
    JSON.stringify(
      {
        app: { baseUrl },
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          database: run.databases.backendConfig,
        },
        auth: {
          providers: {
            guest: {
              userEntityRef: spec.user,
              // The backend runs with NODE_ENV=production, as deployed;
              // guest sign-in is how the benchmark gets real user tokens
              // without an identity provider.
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
        catalog: {
          rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
          locations: [{ type: 'file', target: spec.catalogFile }],
        },
        permission: {
          enabled: true,
          platform: { adminGroups: ['group:default/platform-admins'] },
        },
        ...spec.config,
      },
      null,
      2,
    ),
  );

  log(`Starting the backend on ${baseUrl} (log: ${logPath})`);
  const mark = performance.now();
  const backend = await startBackend({
    entry: spec.entry,
    configPath,
    logPath,
    baseUrl,
    timeoutMs: 180_000,
  });
  run.cleanups.add(() => backend.stop());
  const readySeconds = secondsSince(mark);
  log(`Backend ready in ${readySeconds.toFixed(1)} s (pid ${backend.pid})`);
  return { backend, baseUrl, readySeconds };
}

/**
 * A benchmark's command: refuses old Node, reads the options (exit code 2
 * with the message when they are wrong), runs, and exits 1 on failure.
 */
export function benchmarkMain<O>(
  benchmark: string,
  parse: (argv: string[]) => O,
  run: (options: O) => Promise<void>,
) {
  requireNode22(benchmark);
  let options: O;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  run(options).catch(error => {
    log(`Failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });
}
