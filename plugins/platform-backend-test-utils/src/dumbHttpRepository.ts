import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A bare copy of a repository served on loopback by
 * {@link serveDumbHttpRepository}.
 *
 * @public
 */
export type DumbHttpRepository = {
  /** The clone URL, `http://127.0.0.1:<port>/repo.git`. */
  url: string;
  /** A clone URL whose requests are never answered. */
  hangingUrl: string;
  /** `<method> <path> auth|anonymous` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
};

/**
 * Serves a bare copy of a repository over git's "dumb" HTTP protocol (plain
 * files), behind HTTP basic authentication. Dumb HTTP serves neither single
 * commits nor shallow fetches, as some servers do not. Requests under
 * `/hang/` are never answered.
 *
 * @public
 */
export async function serveDumbHttpRepository(
  repository: string,
  credentials: { username: string; password: string },
): Promise<DumbHttpRepository> {
  const base = await mkdtemp(join(tmpdir(), 'pipelines-http-'));
  const bare = join(base, 'repo.git');
  await exec('git', ['clone', '--quiet', '--bare', repository, bare]);
  await exec('git', ['update-server-info'], { cwd: bare });
  const expected = `Basic ${Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64')}`;
  const requests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const path = normalize(
      decodeURIComponent(new URL(req.url!, 'http://x').pathname),
    );
    requests.push(
      `${req.method} ${path} ${
        req.headers.authorization ? 'auth' : 'anonymous'
      }`,
    );
    if (path.startsWith('/hang/')) {
      return; // never answered
    }
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const file = join(base, path);
    if (
      !file.startsWith(`${base}/`) ||
      !(await stat(file).catch(() => undefined))?.isFile()
    ) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    hangingUrl: `http://127.0.0.1:${port}/hang/repo.git`,
    requests,
    close: async () => {
      await new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      });
      await rm(base, { recursive: true, force: true });
    },
  };
}
