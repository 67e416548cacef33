import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PlatformPermissionPolicy } from './PlatformPermissionPolicy';

export const DEFAULT_ADMIN_GROUPS = ['group:default/platform-admins'];

/**
 * Installs {@link PlatformPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModulePlatformPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'platform-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        policy: policyExtensionPoint,
      },
      async init({ config, logger, policy }) {
        const adminGroups =
          config.getOptionalStringArray('permission.platform.adminGroups') ??
          DEFAULT_ADMIN_GROUPS;
        logger.info(`Platform policy: admin groups ${adminGroups.join(', ')}`);
        policy.setPolicy(new PlatformPermissionPolicy({ adminGroups }));
      },
    });
  },
});
