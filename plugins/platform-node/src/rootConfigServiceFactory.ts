import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigSources } from '@backstage/config-loader';
import { assertRequiredConfig } from './requiredConfig';

/**
 * The root config service of the backend: loads config as Backstage's default
 * does, then fails at once when a setting listed in `platform.requiredConfig`
 * is missing, before any plugin tries to use it.
 *
 * @public
 */
export const rootConfigServiceFactory = createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  async factory() {
    const source = ConfigSources.default({});
    const config = await ConfigSources.toConfig(source);
    assertRequiredConfig(config);
    return config;
  },
});
