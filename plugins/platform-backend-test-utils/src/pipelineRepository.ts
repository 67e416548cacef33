import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

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

/** A git repository in a temporary folder, cloned by its file:// URL. */
export type PipelineRepository = {
  dir: string;
  url: string;
  /**
   * Commits `.platform/pipeline.yaml` with this text (or removes it when
   * undefined) on a branch; returns the commit id.
   */
  commit(pipeline: string | undefined, branch?: string): Promise<string>;
  remove(): Promise<void>;
};

/**
 * Creates an empty git repository with a branch `main`, for tests that run
 * pipelines from it (its `file://` URL is a component's source location).
 */
export async function createPipelineRepository(): Promise<PipelineRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'pipelines-engine-repo-'));
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  let count = 0;
  return {
    dir,
    url: `file://${dir}`,
    async commit(pipeline, branch = 'main') {
      const current = await git(dir, 'branch', '--show-current');
      if (current !== branch) {
        const exists = await git(dir, 'branch', '--list', branch);
        await git(
          dir,
          'checkout',
          '--quiet',
          ...(exists ? [] : ['-b']),
          branch,
        );
      }
      await mkdir(join(dir, '.platform'), { recursive: true });
      const file = join(dir, '.platform', 'pipeline.yaml');
      if (pipeline === undefined) {
        await rm(file, { force: true });
      } else {
        await writeFile(file, pipeline);
      }
      count++;
      await writeFile(join(dir, 'COUNT'), `${count}\n`);
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '--quiet', '-m', `commit ${count}`);
      return git(dir, 'rev-parse', 'HEAD');
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
