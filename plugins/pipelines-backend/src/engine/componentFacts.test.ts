import { branchOfSourceLocation } from './componentFacts';

describe('branchOfSourceLocation', () => {
  it('reads the branch of GitHub and GitLab tree URLs', () => {
    expect(
      branchOfSourceLocation('url:https://github.com/acme/shop/tree/main/'),
    ).toBe('main');
    expect(
      branchOfSourceLocation(
        'url:https://gitlab.com/acme/platform/shop/-/tree/release%2F2/src',
      ),
    ).toBe('release/2');
  });

  it('has none for locations that name no branch', () => {
    expect(branchOfSourceLocation(undefined)).toBeUndefined();
    expect(
      branchOfSourceLocation('url:https://github.com/acme/shop'),
    ).toBeUndefined();
    expect(branchOfSourceLocation('file:/srv/shop/')).toBeUndefined();
  });
});
