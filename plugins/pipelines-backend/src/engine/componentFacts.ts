import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ComponentFacts } from './RunEngine';

/**
 * Reads a component's `spec.type` (for the default pipeline) and the branch
 * its source location names (for `when: { defaultBranch: true }`) from the
 * catalog with the plugin's own credentials. A component the catalog does
 * not know has no facts; the run then needs its own pipeline file.
 */
export function catalogComponentFacts(options: {
  catalog: CatalogService;
  auth: AuthService;
}): (componentRef: string) => Promise<ComponentFacts> {
  return async componentRef => {
    const credentials = await options.auth.getOwnServiceCredentials();
    const entity = await options.catalog.getEntityByRef(componentRef, {
      credentials,
    });
    const type = entity?.spec?.type;
    const defaultBranch = branchOfSourceLocation(
      entity?.metadata.annotations?.['backstage.io/source-location'],
    );
    return {
      ...(typeof type === 'string' ? { type } : {}),
      ...(defaultBranch ? { defaultBranch } : {}),
    };
  };
}

/**
 * The branch a `backstage.io/source-location` points into, e.g. `main` of
 * `url:https://github.com/acme/shop/tree/main/` (GitLab: `/-/tree/main`):
 * the branch the catalog reads the component from, so its default branch.
 */
export function branchOfSourceLocation(
  location: string | undefined,
): string | undefined {
  const match = location?.match(
    /^url:https?:\/\/[^?#]+?\/(?:-\/)?tree\/([^/?#]+)/,
  );
  return match ? decodeURIComponent(match[1]) : undefined;
}
