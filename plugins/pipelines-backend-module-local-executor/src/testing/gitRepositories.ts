import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs git in a folder with a fixed identity; returns its trimmed stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
  return stdout.trim();
}

export type TestRepository = {
  dir: string;
  url: string;
  /** The first commit on main: VERSION is 1. */
  first: string;
  /** The tip of main: VERSION is 2. */
  second: string;
  /** The tip of branch `feature`, made from `first`: VERSION is feature. */
  feature: string;
};

/**
 * A git repository in a new temporary folder, cloned by its file:// URL:
 * `main` with two commits, a branch `feature` and a tag `v1` on the first
 * commit. The tree holds `VERSION`, a folder `sub` and a symbolic link
 * `outside` that points out of the repository, to /tmp.
 */
export async function createTestRepository(): Promise<TestRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'pipelines-repo-'));
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  await writeFile(join(dir, 'VERSION'), '1\n');
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'README'), 'in sub\n');
  await symlink('/tmp', join(dir, 'outside'));
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', 'first');
  const first = await git(dir, 'rev-parse', 'HEAD');
  await git(dir, 'tag', '-a', 'v1', '-m', 'version 1');
  await writeFile(join(dir, 'VERSION'), '2\n');
  await git(dir, 'commit', '--quiet', '-am', 'second');
  const second = await git(dir, 'rev-parse', 'HEAD');
  await git(dir, 'checkout', '--quiet', '-b', 'feature', first);
  await writeFile(join(dir, 'VERSION'), 'feature\n');
  await git(dir, 'commit', '--quiet', '-am', 'feature');
  const feature = await git(dir, 'rev-parse', 'HEAD');
  await git(dir, 'checkout', '--quiet', 'main');
  return { dir, url: `file://${dir}`, first, second, feature };
}

/**
 * Serves a bare copy of a repository over git's "dumb" HTTP protocol (plain
 * files), behind HTTP basic authentication. Dumb HTTP serves neither single
 * commits nor shallow fetches, as some servers do not. Requests under
 * `/hang/` are never answered.
 */
export async function serveDumbHttp(
  repository: string,
  credentials: { username: string; password: string },
): Promise<{
  url: string;
  hangingUrl: string;
  requests: string[];
  close(): Promise<void>;
}> {
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
