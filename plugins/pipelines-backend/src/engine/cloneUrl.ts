import { Entity } from '@backstage/catalog-model';

/**
 * The repository a component's pipeline runs from, for runs started by
 * hand: its `backstage.io/source-location` (`url:` and the repository's
 * address, up to a `/tree/`, `/blob/` or `/-/` path), else its GitHub or
 * GitLab project slug on the public hosts.
 */
export function cloneUrlOf(
  entity: Entity,
): { cloneUrl: string; slug?: string } | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const location = annotations['backstage.io/source-location'];
  if (location?.startsWith('url:')) {
    const url = location
      .slice('url:'.length)
      .replace(/\/(tree|blob|-)\/.*$/, '')
      .replace(/\/+$/, '');
    let slug: string | undefined;
    try {
      const parsed = new URL(url);
      slug = parsed.protocol === 'file:' ? undefined : parsed.pathname.slice(1);
    } catch {
      return undefined;
    }
    return { cloneUrl: url, ...(slug ? { slug } : {}) };
  }
  const github = annotations['github.com/project-slug'];
  if (github) return { cloneUrl: `https://github.com/${github}`, slug: github };
  const gitlab = annotations['gitlab.com/project-slug'];
  if (gitlab) return { cloneUrl: `https://gitlab.com/${gitlab}`, slug: gitlab };
  return undefined;
}
