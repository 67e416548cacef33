/*
 * The backend under test is the portal's own: packages/backend/src/index.ts
 * with every feature it adds, on app-config.yaml (the embedded default:
 * guest sign-in, the sample catalog, the initial environments, the local
 * executor), started the way `backstage-cli package start` starts it, with
 * only what a test run needs overridden: a free port, SQLite in memory and
 * a temporary data folder.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';

/** The running backend. */
export interface PortalBackend {
  port: number;
  baseUrl: string;
  /** A user token of the guest, a platform admin in the sample organisation. */
  token: string;
  /** The backend's log file. */
  logPath: string;
  logTail(lines?: number): string;
  /** Stops it (SIGTERM, SIGKILL after 10 s) and removes its data folder. */
  stop(): Promise<void>;
}

/** The webhook secret the backend is started with, for the seed delivery. */
export const GITHUB_WEBHOOK_SECRET = 'api-fuzz-github-webhook-secret';

async function freePort(): Promise<number> {
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

async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json?: any }> {
  try {
    const res = await fetch(url, { headers });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json };
  } catch {
    return { status: 0 };
  }
}

/** Polls until `ready` gives a value, or fails naming what it waited for. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  child: ChildProcess,
  logTail: () => string,
  ready: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The backend exited (${
          child.exitCode ?? child.signalCode
        }) while waiting for ${what}; its log ends:\n${logTail()}`,
      );
    }
    const value = await ready();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Waited ${
          timeoutMs / 1000
        } s for ${what}; the backend's log ends:\n${logTail()}`,
      );
    }
    await sleep(500);
  }
}

/**
 * Starts packages/backend and waits until it is ready, the catalog has the
 * sample payments-api component and the guest's group memberships, and a
 * guest token carries them.
 */
export async function startPortalBackend(options: {
  root: string;
  outputDir: string;
  timeoutMs: number;
}): Promise<PortalBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'api-fuzz-'));
  const configPath = join(dataDir, 'app-config.fuzz.yaml');
  writeFileSync(
    configPath,
    stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
        // One in-memory SQLite database per plugin: nothing outlives the run.
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
    }),
  );
  const logPath = join(options.outputDir, 'backend.log');
  const log = openSync(logPath, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The embedded default is a development backend: guest sign-in works
    // only there.
    NODE_ENV: 'development',
    IDP_DATA_DIR: dataDir,
    ENVIRONMENTS_SECRETS_KEY: randomBytes(32).toString('base64'),
    GITHUB_WEBHOOK_SECRET,
    // Image stages fail at once: nothing listens on the discard port.
    PIPELINES_REGISTRY_HOST: '127.0.0.1:9',
    BROWSER: 'none',
  };
  // Jest's flags (--experimental-vm-modules) are not the backend's.
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index',
      '--config',
      join(options.root, 'app-config.yaml'),
      '--config',
      configPath,
    ],
    {
      cwd: join(options.root, 'packages', 'backend'),
      env,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const logTail = (lines = 40) => {
    try {
      return readFileSync(logPath, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const wait = <T>(what: string, ready: () => Promise<T | undefined>) =>
      waitFor(what, options.timeoutMs, child, logTail, ready);
    await wait('readiness', async () =>
      (await getJson(`${baseUrl}/.backstage/health/v1/readiness`)).status ===
      200
        ? true
        : undefined,
    );
    // The guest's token names its groups once the catalog has stitched the
    // guest user; before that it is a platform admin in name only.
    const token = await wait(
      'a guest token with group memberships',
      async () => {
        const { json } = await getJson(`${baseUrl}/api/auth/guest/refresh`, {
          'x-requested-with': 'XMLHttpRequest',
        });
        const identity = json?.backstageIdentity;
        const groups: string[] = identity?.identity?.ownershipEntityRefs ?? [];
        return groups.some(ref => ref.startsWith('group:'))
          ? (identity.token as string)
          : undefined;
      },
    );
    await wait('the sample payments-api component in the catalog', async () =>
      (
        await getJson(
          `${baseUrl}/api/catalog/entities/by-name/component/default/payments-api`,
          { authorization: `Bearer ${token}` },
        )
      ).status === 200
        ? true
        : undefined,
    );
    return { port, baseUrl, token, logPath, logTail, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Entity refs of one kind in the catalog. */
export async function catalogRefs(
  backend: PortalBackend,
  kind: string,
): Promise<string[]> {
  const { status, json } = await getJson(
    `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=${kind}&fields=kind,metadata.namespace,metadata.name&limit=100`,
    { authorization: `Bearer ${backend.token}` },
  );
  if (status !== 200) {
    throw new Error(`The catalog answered ${status} listing ${kind} entities`);
  }
  return (json.items as any[]).map(
    e =>
      `${String(e.kind).toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`,
  );
}

/**
 * Sends the push webhook GitHub would send for the sample payments-api
 * repository, signed with the backend's secret, so that the pipelines API
 * has a delivery (and a run) to show. Resolves once the delivery is listed.
 */
export async function sendSamplePush(backend: PortalBackend): Promise<void> {
  const payload = JSON.stringify({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    repository: {
      full_name: 'launchpad-examples/payments-api',
      html_url: 'https://github.com/launchpad-examples/payments-api',
      default_branch: 'main',
    },
    head_commit: {
      id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      message: 'A change',
      author: { name: 'Guest', email: 'guest@launchpad.example' },
    },
    sender: { login: 'guest' },
  });
  const signature = `sha256=${createHmac('sha256', GITHUB_WEBHOOK_SECRET)
    .update(payload)
    .digest('hex')}`;
  const res = await fetch(`${backend.baseUrl}/api/events/http/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
    },
    body: payload,
  });
  if (res.status >= 300) {
    throw new Error(
      `The webhook ingress answered ${
        res.status
      } to the sample push: ${await res.text()}`,
    );
  }
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { json } = await getJson(
      `${backend.baseUrl}/api/pipelines/deliveries`,
      {
        authorization: `Bearer ${backend.token}`,
      },
    );
    if (Array.isArray(json?.items) && json.items.length > 0) return;
    await sleep(250);
  }
  throw new Error(
    'The sample push was accepted but never listed as a delivery',
  );
}
