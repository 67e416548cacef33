import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A real git repository on this machine, which the local executor clones. */
export interface BenchRepository {
  /** `owner/name`, as the push's `repository.full_name` and the component's slug. */
  slug: string;
  path: string;
  /** `file://` URL: the push's `repository.html_url`, so the run clones it. */
  url: string;
  /** The commit at the tip of `main`. */
  head: string;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  }).trim();
}

/** A pipeline of one stage whose steps run one after the other. */
export function sequentialPipeline(commands: string[]): string {
  const steps = commands
    .map(
      (command, i) =>
        `      - name: step-${String(i + 1).padStart(
          2,
          '0',
        )}\n        run: ${JSON.stringify(command)}\n`,
    )
    .join('');
  // Steps without `needs` need the step before them: a plain list is a chain.
  return `stages:\n  - name: steps\n    steps:\n${steps}`;
}

/**
 * Creates a repository on `main` with `.platform/pipeline.yaml` and one
 * commit.
 */
export function createRepository(
  root: string,
  slug: string,
  pipelineYaml: string,
): BenchRepository {
  const path = join(root, slug.replace('/', '--'));
  mkdirSync(join(path, '.platform'), { recursive: true });
  git(path, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(path, '.platform', 'pipeline.yaml'), pipelineYaml);
  writeFileSync(join(path, 'README.md'), `# ${slug}\n`);
  git(path, 'add', '.');
  git(path, 'commit', '--quiet', '-m', 'Pipeline');
  return {
    slug,
    path,
    url: pathToFileURL(path).href,
    head: git(path, 'rev-parse', 'HEAD'),
  };
}

/** A new commit on `main` (no change needed); returns its id. */
export function commitTo(repository: BenchRepository, message: string): string {
  git(repository.path, 'commit', '--quiet', '--allow-empty', '-m', message);
  repository.head = git(repository.path, 'rev-parse', 'HEAD');
  return repository.head;
}

/**
 * A branch off `main` whose `.platform/pipeline.yaml` is `pipelineYaml`;
 * returns its commit. `main` stays checked out.
 */
export function branchWithPipeline(
  repository: BenchRepository,
  branch: string,
  pipelineYaml: string,
): string {
  git(repository.path, 'checkout', '--quiet', '-b', branch);
  writeFileSync(
    join(repository.path, '.platform', 'pipeline.yaml'),
    pipelineYaml,
  );
  git(repository.path, 'commit', '--quiet', '-am', `Pipeline of ${branch}`);
  const commit = git(repository.path, 'rev-parse', 'HEAD');
  git(repository.path, 'checkout', '--quiet', 'main');
  return commit;
}
