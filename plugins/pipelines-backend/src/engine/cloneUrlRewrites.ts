import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One rule of `pipelines.git.rewrites`: URLs starting with `from` are cloned from `to` instead. */
export type CloneUrlRewrite = { from: string; to: string };

const KEY = 'pipelines.git.rewrites';

/**
 * Reads `pipelines.git.rewrites`: like git's `url.<to>.insteadOf <from>`, they
 * send clones to a mirror (an internal git proxy, or the embedded default's
 * local copies of the sample repositories) while runs keep the repository's
 * public address.
 */
export function readCloneUrlRewrites(config: Config): CloneUrlRewrite[] {
  const rules = config.getOptionalConfigArray(KEY) ?? [];
  return rules.map((rule, index) => {
    const from = rule.getString('from');
    const to = rule.getString('to');
    for (const [field, value] of [
      ['from', from],
      ['to', to],
    ]) {
      if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) {
        throw new InputError(
          `${KEY}[${index}].${field}: '${value}' is not a URL prefix such as https://github.com/acme/ or file:///srv/mirrors/`,
        );
      }
    }
    return { from, to };
  });
}

/**
 * The URL to clone for a repository URL: the longest matching `from` prefix
 * is replaced (git's rule for `insteadOf`); without a match the URL itself.
 */
export function rewriteCloneUrl(
  url: string,
  rewrites: readonly CloneUrlRewrite[],
): string {
  let best: CloneUrlRewrite | undefined;
  for (const rule of rewrites) {
    if (
      url.startsWith(rule.from) &&
      (!best || rule.from.length > best.from.length)
    ) {
      best = rule;
    }
  }
  return best ? best.to + url.slice(best.from.length) : url;
}
