import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ComponentFacts } from './RunEngine';

/**
 * Reads a component's `spec.type` (for the default pipeline) from the
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
    return typeof type === 'string' ? { type } : {};
  };
}
