import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Runs git in a folder with a fixed identity, so that commits need no user
 * config; returns its trimmed stdout.
 *
 * @public
 */
export async function runGit(cwd: string, ...args: string[]): Promise<string> {
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

/**
 * A file's content for {@link PipelineRepository.commitFiles}: text, or a
 * symbolic link to a target; `undefined` removes the file.
 *
 * @public
 */
export type PipelineRepositoryFile = string | { symlink: string } | undefined;

/**
 * A git repository in a temporary folder, cloned by its file:// URL.
 *
 * @public
 */
export type PipelineRepository = {
  dir: string;
  url: string;
  /**
   * Commits `.platform/pipeline.yaml` with this text (or removes it when
   * undefined) on a branch; returns the commit id.
   */
  commit(pipeline: string | undefined, branch?: string): Promise<string>;
  /**
   * Writes files (paths relative to the repository, folders made as needed)
   * and commits everything in the folder on a branch (default `main`); a
   * branch that does not exist yet starts at `from` (default the current
   * commit). Returns the commit id; the branch stays checked out.
   */
  commitFiles(
    files: Record<string, PipelineRepositoryFile>,
    options?: { branch?: string; from?: string; message?: string },
  ): Promise<string>;
  /** Makes an annotated tag at a commit. */
  tag(name: string, commit: string): Promise<void>;
  remove(): Promise<void>;
};

/**
 * Creates an empty git repository with a branch `main`, for tests that check
 * it out or run pipelines from it (its `file://` URL is a component's source
 * location).
 *
 * @public
 */
export async function createPipelineRepository(): Promise<PipelineRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'pipelines-engine-repo-'));
  await runGit(dir, 'init', '--quiet', '--initial-branch=main');
  let count = 0;
  const repository: PipelineRepository = {
    dir,
    url: `file://${dir}`,
    async commitFiles(files, options = {}) {
      const branch = options.branch ?? 'main';
      const current = await runGit(dir, 'branch', '--show-current');
      if (current !== branch) {
        const exists = await runGit(dir, 'branch', '--list', branch);
        await runGit(
          dir,
          'checkout',
          '--quiet',
          ...(exists
            ? [branch]
            : ['-b', branch, ...(options.from ? [options.from] : [])]),
        );
      }
      for (const [path, content] of Object.entries(files)) {
        const file = join(dir, path);
        await rm(file, { force: true });
        if (content === undefined) continue;
        await mkdir(dirname(file), { recursive: true });
        if (typeof content === 'string') {
          await writeFile(file, content);
        } else {
          await symlink(content.symlink, file);
        }
      }
      count++;
      await runGit(dir, 'add', '-A');
      await runGit(
        dir,
        'commit',
        '--quiet',
        '-m',
        options.message ?? `commit ${count}`,
      );
      return runGit(dir, 'rev-parse', 'HEAD');
    },
    async commit(pipeline, branch = 'main') {
      // COUNT changes with every commit, so that no commit is empty.
      return repository.commitFiles(
        {
          '.platform/pipeline.yaml': pipeline,
          COUNT: `${count + 1}\n`,
        },
        { branch },
      );
    },
    async tag(name, commit) {
      await runGit(dir, 'tag', '-a', name, '-m', name, commit);
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
  };
  return repository;
}

/**
 * The repository the executors' checkout tests use.
 *
 * @public
 */
export type CheckoutTestRepository = PipelineRepository & {
  /** The first commit on `main` (tag `v1`): VERSION is 1. */
  first: string;
  /** The tip of `main`: VERSION is 2. */
  second: string;
  /** The tip of branch `feature`, made from `first`: VERSION is feature. */
  feature: string;
};

/**
 * A repository with `main` of two commits, a branch `feature` and an
 * annotated tag `v1` on the first commit, `main` checked out. The tree holds
 * `VERSION`, a folder `sub` and a symbolic link `outside` that points out of
 * the repository, to /tmp.
 *
 * @public
 */
export async function createCheckoutTestRepository(): Promise<CheckoutTestRepository> {
  const repository = await createPipelineRepository();
  const first = await repository.commitFiles(
    {
      VERSION: '1\n',
      'sub/README': 'in sub\n',
      outside: { symlink: '/tmp' },
    },
    { message: 'first' },
  );
  await repository.tag('v1', first);
  const second = await repository.commitFiles(
    { VERSION: '2\n' },
    { message: 'second' },
  );
  const feature = await repository.commitFiles(
    { VERSION: 'feature\n' },
    { branch: 'feature', from: first, message: 'feature' },
  );
  await runGit(repository.dir, 'checkout', '--quiet', 'main');
  return Object.assign(repository, { first, second, feature });
}
