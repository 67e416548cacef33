import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createDeployAction, createEnvironmentAction } from './actions';

/**
 * Scaffolder actions of the Environment Manager: `environments:create` and
 * `environments:deploy`. They call the environments backend on behalf of the
 * user who runs the template.
 *
 * @public
 */
export const scaffolderModuleEnvironments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        scaffolder.addActions(
          createEnvironmentAction({ auth, discovery }),
          createDeployAction({ auth, discovery }),
        );
      },
    });
  },
});
