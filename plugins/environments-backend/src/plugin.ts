import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { environmentsPermissions } from '@internal/plugin-environments-common';
import {
  environmentResourceRef,
  environmentRules,
} from './permissions/environmentRules';
import { createRouter } from './service/router';
import { DatabaseEnvironmentStore } from './store/DatabaseEnvironmentStore';
import {
  createInitialEnvironments,
  readInitialEnvironments,
} from './store/initialEnvironments';

/**
 * The Environment Manager's backend plugin: `/api/environments`.
 *
 * @public
 */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
      },
      async init(deps) {
        const store = await DatabaseEnvironmentStore.create({
          database: deps.database,
        });
        await createInitialEnvironments(
          store,
          readInitialEnvironments(deps.config),
          deps.logger,
        );
        deps.permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: environmentsPermissions,
          rules: Object.values(environmentRules),
          getResources: async names =>
            Promise.all(
              names.map(name => store.get(name).catch(() => undefined)),
            ),
        });
        deps.httpRouter.use(await createRouter({ ...deps, store }));
      },
    });
  },
});
