import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeliveryProvider,
  DeliveryRepository,
} from '@internal/plugin-pipelines-common';

const SOURCE_LOCATION = 'backstage.io/source-location';

/** The annotation that names a component's repository, per provider. */
export const PROJECT_SLUG_ANNOTATIONS: Record<DeliveryProvider, string> = {
  github: 'github.com/project-slug',
  gitlab: 'gitlab.com/project-slug',
};

/** Host and path segments of a repository or source location URL. */
function urlParts(
  url: string,
): { host: string; segments: string[] } | undefined {
  try {
    const parsed = new URL(url.replace(/^url:/, ''));
    return {
      host: parsed.host.toLowerCase(),
      segments: parsed.pathname
        .split('/')
        .filter(Boolean)
        .map(s => decodeURIComponent(s).toLowerCase()),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether a source location points into the repository: same host, the
 * repository's path, then nothing, or a tree/blob path (GitHub
 * `/tree/main/...`, GitLab `/-/tree/main/...`). `.git` at the end of the
 * repository name is ignored.
 */
export function sourceLocationIsIn(
  sourceLocation: string,
  repositoryUrl: string,
): boolean {
  const location = urlParts(sourceLocation);
  const repository = urlParts(repositoryUrl);
  if (!location || !repository || location.host !== repository.host) {
    return false;
  }
  const strip = (s: string) => s.replace(/\.git$/, '');
  const repo = repository.segments.map(strip);
  if (location.segments.length < repo.length) return false;
  for (let i = 0; i < repo.length; i++) {
    const segment =
      i === repo.length - 1
        ? strip(location.segments[i])
        : location.segments[i];
    if (segment !== repo[i]) return false;
  }
  const next = location.segments[repo.length];
  return next === undefined || ['tree', 'blob', '-', 'src'].includes(next);
}

/**
 * Finds the catalog components a repository belongs to, with the plugin's
 * own service credentials:
 *
 * 1. components whose `github.com/project-slug` (or `gitlab.com/project-slug`)
 *    annotation names the repository (case-insensitively);
 * 2. components without that annotation whose
 *    `backstage.io/source-location` points into the repository (a monorepo
 *    may have several).
 */
export class RepositoryComponents {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  async find(
    provider: DeliveryProvider,
    repository: DeliveryRepository,
  ): Promise<string[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const slugAnnotation = PROJECT_SLUG_ANNOTATIONS[provider];
    const refs = new Set<string>();

    const bySlug = await this.query(
      {
        kind: 'component',
        [`metadata.annotations.${slugAnnotation}`]: repository.slug,
      },
      undefined,
      credentials,
    );
    bySlug.forEach(entity => refs.add(stringifyEntityRef(entity)));

    if (repository.url) {
      const parts = urlParts(repository.url);
      if (parts) {
        // A substring search narrows it down in the database; the exact
        // comparison is made here.
        const candidates = await this.query(
          { kind: 'component' },
          {
            term: [parts.host, ...parts.segments].join('/'),
            fields: [`metadata.annotations.${SOURCE_LOCATION}`],
          },
          credentials,
        );
        for (const entity of candidates) {
          const annotations = entity.metadata.annotations ?? {};
          if (annotations[slugAnnotation]) continue;
          const location = annotations[SOURCE_LOCATION];
          if (location && sourceLocationIsIn(location, repository.url)) {
            refs.add(stringifyEntityRef(entity));
          }
        }
      }
    }
    return [...refs].sort();
  }

  private async query(
    filter: Record<string, string>,
    fullTextFilter: { term: string; fields: string[] } | undefined,
    credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
  ): Promise<Entity[]> {
    const fields = [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.annotations',
    ];
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, fields, limit: 100 }
          : {
              filter,
              ...(fullTextFilter ? { fullTextFilter } : {}),
              fields,
              limit: 100,
            },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }
}
