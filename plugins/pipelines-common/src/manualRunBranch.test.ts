import { manualRunBranch } from './manualRunBranch';

describe('manualRunBranch', () => {
  it.each([
    ['main', 'main'],
    ['refs/heads/main', 'main'],
    ['refs/heads/release/1.4', 'release/1.4'],
    ['feature/refs/heads', 'feature/refs/heads'],
  ])('takes %s as branch %s', (ref, branch) => {
    expect(manualRunBranch(ref)).toBe(branch);
  });

  it('gives no branch for no ref: the default branch is built', () => {
    expect(manualRunBranch(undefined)).toBeUndefined();
  });

  it.each([
    ['refs/tags/v1', "'refs/tags/v1' is not a branch"],
    ['refs/pull/3/head', "'refs/pull/3/head' is not a branch"],
    ['refs/heads/', "'refs/heads/' names no branch"],
  ])('refuses %s', (ref, message) => {
    expect(() => manualRunBranch(ref)).toThrow(message);
    expect(() => manualRunBranch(ref)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});
