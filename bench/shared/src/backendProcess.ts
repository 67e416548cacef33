import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nobody listens on right now, for the backend to take. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The backend under test, running in a process of its own. */
export interface BackendProcess {
  pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and waits for the exit. */
  stop(): Promise<void>;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
}

/**
 * Starts a benchmark's backend (`entry`, a TypeScript file calling
 * `createBackend()`) with the same TypeScript transform that
 * `backstage-cli package start` runs the portal's backend with, in
 * production mode, its output going to `logPath`. Resolves once the
 * backend's readiness endpoint answers 200; rejects if it exits first or
 * is not ready within `timeoutMs`.
 */
export async function startBackend(options: {
  /** The backend's entry point, e.g. the benchmark's `src/backend.ts`. */
  entry: string;
  configPath: string;
  logPath: string;
  baseUrl: string;
  timeoutMs: number;
}): Promise<BackendProcess> {
  const log = openSync(options.logPath, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      options.entry,
      '--config',
      options.configPath,
    ],
    {
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  closeSync(log);
  let exit: string | undefined;
  const exited = new Promise<void>(resolve =>
    child.once('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    }),
  );

  const logTail = (lines = 30) => {
    try {
      return readFileSync(options.logPath, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    if (exit) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exit) {
      throw new Error(
        `The backend exited with ${exit} before it was ready; its log ends:\n${logTail()}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The backend was not ready within ${
          options.timeoutMs / 1000
        } s; its log ends:\n${logTail()}`,
      );
    }
    const ready = await fetch(
      `${options.baseUrl}/.backstage/health/v1/readiness`,
    ).then(
      res => res.ok,
      () => false,
    );
    if (ready) return { pid: child.pid!, stop, logTail };
    await sleep(500);
  }
}

/**
 * Waits until the backend answers its readiness endpoint three times in a
 * row. Used after seeding: on SQLite the backend's own queries waited for
 * the seeding's write lock with its event loop blocked, and a keep-alive
 * connection it closed meanwhile fails the next request on it.
 */
export async function waitUntilResponsive(baseUrl: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let answered = 0;
  while (answered < 3) {
    if (Date.now() > deadline) {
      throw new Error(
        `The backend did not answer within ${timeoutMs / 1000} s`,
      );
    }
    const ok = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
      res => res.ok,
      () => false,
    );
    answered = ok ? answered + 1 : 0;
    if (!ok) await sleep(500);
  }
}
