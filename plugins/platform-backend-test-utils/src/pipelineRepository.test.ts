import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createCheckoutTestRepository,
  createPipelineRepository,
  runGit,
} from './pipelineRepository';

describe('createPipelineRepository', () => {
  it('commits pipelines and files on branches', async () => {
    const repo = await createPipelineRepository();
    try {
      const first = await repo.commit('stages: []\n');
      expect(
        await runGit(repo.dir, 'show', `${first}:.platform/pipeline.yaml`),
      ).toBe('stages: []');
      const other = await repo.commitFiles(
        { 'a/b.txt': 'b\n', link: { symlink: 'a/b.txt' } },
        { branch: 'other', message: 'files' },
      );
      expect(await runGit(repo.dir, 'rev-parse', `${other}^`)).toBe(first);
      expect(await runGit(repo.dir, 'branch', '--show-current')).toBe('other');
      expect(await readlink(join(repo.dir, 'link'))).toBe('a/b.txt');
      const removed = await repo.commit(undefined, 'main');
      expect(
        await runGit(repo.dir, 'ls-tree', '--name-only', '-r', removed),
      ).toBe('COUNT');
      expect(repo.url).toBe(`file://${repo.dir}`);
    } finally {
      await repo.remove();
    }
  });
});

describe('createCheckoutTestRepository', () => {
  it('has main, a feature branch from the first commit and a tag', async () => {
    const repo = await createCheckoutTestRepository();
    try {
      expect(await runGit(repo.dir, 'rev-parse', 'main')).toBe(repo.second);
      expect(await runGit(repo.dir, 'rev-parse', 'v1^{commit}')).toBe(
        repo.first,
      );
      expect(await runGit(repo.dir, 'rev-parse', 'feature^')).toBe(repo.first);
      expect(await runGit(repo.dir, 'branch', '--show-current')).toBe('main');
      expect(await readFile(join(repo.dir, 'VERSION'), 'utf8')).toBe('2\n');
      expect(await readlink(join(repo.dir, 'outside'))).toBe('/tmp');
      expect(await runGit(repo.dir, 'show', `${repo.feature}:VERSION`)).toBe(
        'feature',
      );
    } finally {
      await repo.remove();
    }
  });
});
