import { readGithubPayload } from './githubPayload';
import { readGitlabPayload } from './gitlabPayload';

const sha = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const repository = { full_name: 'o/r', html_url: 'https://github.com/o/r' };

describe('readGithubPayload', () => {
  it('rejects a delivery without an event header', () => {
    expect(readGithubPayload(undefined, {})).toEqual({
      event: 'unknown',
      outcome: 'rejected',
      reason: 'the request has no X-GitHub-Event header',
    });
  });

  it('ignores refs that are neither branches nor tags, and branch deletions', () => {
    expect(
      readGithubPayload('push', {
        ref: 'refs/notes/x',
        after: sha,
        repository,
      }),
    ).toMatchObject({
      outcome: 'ignored',
      reason: "ref 'refs/notes/x' is neither a branch nor a tag",
    });
    expect(
      readGithubPayload('push', {
        ref: 'refs/heads/feature/x',
        after: '0'.repeat(40),
        deleted: true,
        repository,
      }),
    ).toMatchObject({
      outcome: 'ignored',
      reason: "branch 'feature/x' was deleted",
      commit: undefined,
    });
  });

  it('rejects a shortened commit id', () => {
    expect(
      readGithubPayload('push', {
        ref: 'refs/heads/main',
        after: 'abc123',
        repository,
      }),
    ).toMatchObject({
      outcome: 'rejected',
      reason: 'after: not a full commit id',
    });
  });

  it('says closed pull requests were merged or not', () => {
    const pr = (merged: boolean) =>
      readGithubPayload('pull_request', {
        action: 'closed',
        number: 3,
        pull_request: {
          head: { ref: 'x', sha },
          base: { ref: 'main' },
          merged,
        },
        repository,
      }).trigger;
    expect(pr(true)).toMatchObject({ action: 'closed', merged: true });
    expect(pr(false)).toMatchObject({ action: 'closed', merged: false });
  });
});

describe('readGitlabPayload', () => {
  const project = {
    path_with_namespace: 'g/p',
    web_url: 'https://gitlab.example.com/g/p',
  };

  it('ignores a deleted branch', () => {
    expect(
      readGitlabPayload('Push Hook', {
        object_kind: 'push',
        ref: 'refs/heads/old',
        before: sha,
        after: '0'.repeat(40),
        checkout_sha: null,
        project,
      }),
    ).toMatchObject({ outcome: 'ignored', reason: "branch 'old' was deleted" });
  });

  it('maps merge request actions to pull request actions', () => {
    const mr = (action: string, extra: object = {}) =>
      readGitlabPayload('Merge Request Hook', {
        object_kind: 'merge_request',
        project,
        user: { username: 'root' },
        object_attributes: {
          iid: 4,
          action,
          source_branch: 'x',
          target_branch: 'main',
          last_commit: { id: sha },
          ...extra,
        },
      });
    expect(mr('open').trigger).toMatchObject({ action: 'opened', number: 4 });
    expect(mr('reopen').trigger).toMatchObject({ action: 'reopened' });
    expect(mr('update', { oldrev: sha }).trigger).toMatchObject({
      action: 'synchronize',
    });
    expect(mr('close').trigger).toMatchObject({
      action: 'closed',
      merged: false,
    });
    expect(mr('approved')).toMatchObject({
      outcome: 'ignored',
      reason: "merge request action 'approved' starts nothing",
    });
  });

  it('names the fields a payload lacks', () => {
    expect(
      readGitlabPayload('Push Hook', {
        object_kind: 'push',
        ref: 'refs/heads/x',
      }),
    ).toEqual({
      event: 'push',
      outcome: 'rejected',
      reason:
        'after: Invalid input: expected string, received undefined; project: Invalid input: expected object, received undefined',
    });
  });
});
