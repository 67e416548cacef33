import { ConfigReader } from '@backstage/config';
import { readCloneUrlRewrites, rewriteCloneUrl } from './cloneUrlRewrites';

describe('clone URL rewrites', () => {
  const rules = [
    { from: 'https://github.com/', to: 'https://git-mirror.internal/github/' },
    {
      from: 'https://github.com/launchpad-examples/',
      to: 'file:///srv/repos/',
    },
  ];

  it('replaces the longest matching prefix, as git does for insteadOf', () => {
    expect(
      rewriteCloneUrl(
        'https://github.com/launchpad-examples/payments-api',
        rules,
      ),
    ).toBe('file:///srv/repos/payments-api');
    expect(rewriteCloneUrl('https://github.com/acme/shop', rules)).toBe(
      'https://git-mirror.internal/github/acme/shop',
    );
    expect(rewriteCloneUrl('https://gitlab.com/acme/shop', rules)).toBe(
      'https://gitlab.com/acme/shop',
    );
  });

  it('reads the rules from config, and none when absent', () => {
    expect(
      readCloneUrlRewrites(
        new ConfigReader({ pipelines: { git: { rewrites: rules } } }),
      ),
    ).toEqual(rules);
    expect(readCloneUrlRewrites(new ConfigReader({}))).toEqual([]);
  });

  it('refuses a rule that is not a URL prefix, naming it', () => {
    expect(() =>
      readCloneUrlRewrites(
        new ConfigReader({
          pipelines: {
            git: {
              rewrites: [rules[0], { from: 'github.com/', to: rules[0].to }],
            },
          },
        }),
      ),
    ).toThrow(
      /pipelines\.git\.rewrites\[1\]\.from: 'github\.com\/' is not a URL prefix/,
    );
  });
});
