import { matchesGlobs } from './globs';
import { stageConditionHolds, triggersMatch } from './matching';
import { PipelineTriggers } from './types';

describe('matchesGlobs', () => {
  it('matches within and across path segments', () => {
    expect(matchesGlobs('main', ['main'])).toBe(true);
    expect(matchesGlobs('release/1.2', ['release/*'])).toBe(true);
    expect(matchesGlobs('release/1/2', ['release/*'])).toBe(false);
    expect(matchesGlobs('release/1/2', ['release/**'])).toBe(true);
    expect(matchesGlobs('feature/x', ['**'])).toBe(true);
    expect(matchesGlobs('.hidden', ['*'])).toBe(true);
  });

  it('excludes with !, and a list of exclusions matches the rest', () => {
    expect(matchesGlobs('release/old', ['release/*', '!release/old'])).toBe(
      false,
    );
    expect(matchesGlobs('release/new', ['release/*', '!release/old'])).toBe(
      true,
    );
    expect(matchesGlobs('main', ['!dependabot/**'])).toBe(true);
    expect(matchesGlobs('dependabot/npm/x', ['!dependabot/**'])).toBe(false);
  });
});

describe('triggersMatch', () => {
  const triggers: PipelineTriggers = {
    push: { branches: ['main', 'release/*'], tags: ['v*'] },
    pullRequest: { branches: ['main'], types: ['opened', 'synchronize'] },
    manual: true,
    schedule: [],
  };
  const commit = 'a'.repeat(40);

  it('runs for pushes and tags that match', () => {
    expect(
      triggersMatch(triggers, { type: 'push', branch: 'main', commit }),
    ).toBe(true);
    expect(
      triggersMatch(triggers, { type: 'push', branch: 'feature/x', commit }),
    ).toBe(false);
    expect(
      triggersMatch(triggers, { type: 'tag', tag: 'v1.0.0', commit }),
    ).toBe(true);
    expect(
      triggersMatch(triggers, { type: 'tag', tag: 'nightly', commit }),
    ).toBe(false);
  });

  it('runs for pull requests by base branch and action', () => {
    const pr = {
      type: 'pull_request' as const,
      number: 7,
      headBranch: 'feature/x',
      baseBranch: 'main',
      commit,
    };
    expect(triggersMatch(triggers, { ...pr, action: 'opened' })).toBe(true);
    expect(triggersMatch(triggers, { ...pr, action: 'closed' })).toBe(false);
    expect(
      triggersMatch(triggers, {
        ...pr,
        action: 'opened',
        baseBranch: 'develop',
      }),
    ).toBe(false);
  });

  it('does not run for kinds that are off', () => {
    const none: PipelineTriggers = { manual: true, schedule: [] };
    expect(triggersMatch(none, { type: 'push', branch: 'main', commit })).toBe(
      false,
    );
    expect(
      triggersMatch(
        { ...none, push: { branches: [], tags: ['v*'] } },
        { type: 'push', branch: 'main', commit },
      ),
    ).toBe(false);
  });
});

describe('stageConditionHolds', () => {
  it('always holds without a condition', () => {
    expect(stageConditionHolds(undefined, { pullRequest: true })).toBe(true);
  });

  it('holds on the default branch or a listed branch', () => {
    const when = { defaultBranch: true as const, branches: ['release/*'] };
    expect(
      stageConditionHolds(when, { branch: 'main', defaultBranch: 'main' }),
    ).toBe(true);
    expect(
      stageConditionHolds(when, { branch: 'release/2', defaultBranch: 'main' }),
    ).toBe(true);
    expect(
      stageConditionHolds(when, { branch: 'feature', defaultBranch: 'main' }),
    ).toBe(false);
    expect(stageConditionHolds(when, { branch: 'main' })).toBe(false);
    expect(
      stageConditionHolds(when, {
        pullRequest: true,
        branch: 'main',
        defaultBranch: 'main',
      }),
    ).toBe(false);
  });

  it('holds for tags and pull requests only when listed', () => {
    expect(stageConditionHolds({ tags: ['v*'] }, { tag: 'v1' })).toBe(true);
    expect(stageConditionHolds({ tags: ['v*'] }, { tag: 'x' })).toBe(false);
    expect(stageConditionHolds({ branches: ['**'] }, { tag: 'v1' })).toBe(
      false,
    );
    expect(
      stageConditionHolds({ pullRequests: true }, { pullRequest: true }),
    ).toBe(true);
  });
});
