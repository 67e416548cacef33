import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  request as httpRequest,
} from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A loopback port nothing listens on right now.
 *
 * @public
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A container registry started for a test.
 *
 * @public
 */
export type TestRegistry = {
  /** `127.0.0.1:<port>` */
  host: string;
  stop(): Promise<void>;
};

/**
 * Debian's `docker-registry` (distribution 2.8) on loopback, storing in a
 * temporary folder, without auth. Needs `docker-registry` on the PATH
 * (Debian: `apt-get install docker-registry`).
 *
 * @public
 */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pipelines-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configFile = join(dir, 'config.yml');
  await writeFile(
    configFile,
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
      `http: { addr: '${host}' }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', d => {
    stderr += d;
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', e =>
      reject(new Error(`docker-registry could not start: ${e.message}`)),
    ),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const response = await Promise.race([
        fetch(`http://${host}/v2/`),
        spawnError,
      ]);
      if (response.ok) {
        return { host, stop };
      }
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(
          `docker-registry did not answer on ${host}: ${
            (error as Error).message
          }\n${stderr}`,
        );
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * A proxy asking for basic authentication, started for a test.
 *
 * @public
 */
export type TestAuthProxy = {
  /** `127.0.0.1:<port>` */
  host: string;
  /** Requests that carried the right credentials. */
  authorized(): number;
  stop(): Promise<void>;
};

/**
 * A reverse proxy in front of a registry that asks for HTTP basic
 * authentication, as registries behind credentials do (distribution's own
 * htpasswd needs a bcrypt file this machine has no tool to write).
 *
 * @public
 */
export async function startBasicAuthProxy(
  target: string,
  username: string,
  password: string,
): Promise<TestAuthProxy> {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString(
    'base64',
  )}`;
  const [targetHost, targetPort] = target.split(':');
  let authorized = 0;
  const server = createHttpServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="test registry"',
        'Docker-Distribution-API-Version': 'registry/2.0',
      });
      res.end();
      return;
    }
    authorized += 1;
    const upstream = httpRequest(
      {
        host: targetHost,
        port: Number(targetPort),
        method: req.method,
        path: req.url,
        headers: req.headers, // the proxy's Host, so upload locations point here
      },
      response => {
        res.writeHead(response.statusCode!, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', error => {
      res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    authorized: () => authorized,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
