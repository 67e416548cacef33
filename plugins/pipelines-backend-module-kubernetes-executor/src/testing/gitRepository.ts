import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs git in a folder with a fixed identity; returns its trimmed stdout. */
async function git(cwd: string, ...args: string[]): Promise<string> {
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
};

/**
 * A git repository in a new temporary folder, cloned by its file:// URL:
 * `main` with two commits; the tree holds `VERSION` and a folder `sub`.
 */
export async function createTestRepository(): Promise<TestRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'pipelines-k8s-repo-'));
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  await writeFile(join(dir, 'VERSION'), '1\n');
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'README'), 'in sub\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', 'first');
  const first = await git(dir, 'rev-parse', 'HEAD');
  await writeFile(join(dir, 'VERSION'), '2\n');
  await git(dir, 'commit', '--quiet', '-am', 'second');
  const second = await git(dir, 'rev-parse', 'HEAD');
  return { dir, url: `file://${dir}`, first, second };
}
