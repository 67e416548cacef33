import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createTriggerRunAction } from './actions';

/**
 * Scaffolder action of the Pipeline Engine: `pipelines:trigger`. It calls the
 * pipelines backend on behalf of the user who runs the template.
 *
 * @public
 */
export const scaffolderModulePipelines = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'pipelines',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, auth, discovery, config }) {
        scaffolder.addActions(
          createTriggerRunAction({
            auth,
            discovery,
            appBaseUrl: config.getString('app.baseUrl'),
          }),
        );
      },
    });
  },
});
