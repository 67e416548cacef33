import { sourceLocationIsIn } from './RepositoryComponents';

describe('sourceLocationIsIn', () => {
  const repo = 'https://github.com/Launchpad-Examples/monorepo';

  it.each([
    'url:https://github.com/launchpad-examples/monorepo',
    'url:https://github.com/launchpad-examples/monorepo/',
    'url:https://github.com/launchpad-examples/monorepo.git',
    'url:https://github.com/launchpad-examples/monorepo/tree/main/services/orders/',
    'url:https://github.com/launchpad-examples/monorepo/blob/main/catalog-info.yaml',
    'https://github.com/launchpad-examples/monorepo/tree/main',
  ])('%s is in the repository', location => {
    expect(sourceLocationIsIn(location, repo)).toBe(true);
  });

  it.each([
    'url:https://github.com/launchpad-examples/monorepo-legacy/tree/main/',
    'url:https://github.com/launchpad-examples/monorepo/issues',
    'url:https://github.com/launchpad-examples/',
    'url:https://gitlab.com/launchpad-examples/monorepo/',
    'not a url',
  ])('%s is not', location => {
    expect(sourceLocationIsIn(location, repo)).toBe(false);
  });

  it('understands GitLab subgroups and its /-/ paths', () => {
    expect(
      sourceLocationIsIn(
        'url:https://gitlab.example.com/group/sub/project/-/tree/main/app',
        'https://gitlab.example.com/group/sub/project',
      ),
    ).toBe(true);
    expect(
      sourceLocationIsIn(
        'url:https://gitlab.example.com/group/sub/project-two/-/tree/main/',
        'https://gitlab.example.com/group/sub/project',
      ),
    ).toBe(false);
  });
});
