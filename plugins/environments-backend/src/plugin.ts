import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { EnvironmentsActivity } from './service/activity';
import {
  Deployer,
  deployerExtensionPoint,
  environmentResourceRef,
  environmentRules,
} from '@internal/plugin-environments-node';
import { externalDeployer } from './deployers/externalDeployer';
import { SecretCipher } from './secrets/SecretCipher';
import { scheduleSecretKeyRotation } from './secrets/secretKeyRotation';
import { PreviewService } from './service/PreviewService';
import {
  readPreviewConfig,
  readTeardownFrequency,
} from './service/previewConfig';
import { schedulePreviewTeardown } from './service/previewTeardownTask';
import { PromotionService } from './service/PromotionService';
import { DeploymentService } from './service/DeploymentService';
import { environmentsPermissions } from '@internal/plugin-environments-common';
import { createRouter } from './service/router';
import { registerEnvironmentsActions } from './actions/registerActions';
import { createEnvironmentsStores } from './store/environmentsStores';
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
    const deployers = new Map<string, Deployer>([
      [externalDeployer.targetType, externalDeployer],
    ]);
    env.registerExtensionPoint(deployerExtensionPoint, {
      addDeployer(deployer) {
        // A module may replace the built-in external deployer, but two
        // modules serving one target type is a wiring mistake.
        const existing = deployers.get(deployer.targetType);
        if (existing && existing !== externalDeployer) {
          throw new Error(
            `Two deployers for '${deployer.targetType}' targets were installed`,
          );
        }
        deployers.set(deployer.targetType, deployer);
      },
    });
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const stores = await createEnvironmentsStores({
          database: deps.database,
          cipher: SecretCipher.fromConfig(deps.config, deps.logger),
        });
        const { environments, deployments, locks, variables } = stores;
        await createInitialEnvironments(
          environments,
          readInitialEnvironments(deps.config),
          deps.logger,
        );
        deps.permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: environmentsPermissions,
          rules: Object.values(environmentRules),
          getResources: async names =>
            Promise.all(
              names.map(name => environments.get(name).catch(() => undefined)),
            ),
        });
        await scheduleSecretKeyRotation({
          variables,
          scheduler: deps.scheduler,
          logger: deps.logger,
        });
        const previewService = new PreviewService({
          environments,
          previews: stores.previews,
          deployers,
          catalog: deps.catalog,
          events: deps.events,
          auditor: deps.auditor,
          logger: deps.logger,
          config: readPreviewConfig(deps.config),
        });
        await schedulePreviewTeardown({
          previews: previewService,
          scheduler: deps.scheduler,
          logger: deps.logger,
          frequency: readTeardownFrequency(deps.config),
        });
        const activity = new EnvironmentsActivity({
          signals: deps.signals,
          notifications: deps.notifications,
          logger: deps.logger,
        });
        const deploymentService = new DeploymentService({
          activity,
          environments,
          deployments,
          deployers,
          locks,
          variables,
          previews: previewService,
          catalog: deps.catalog,
          events: deps.events,
          logger: deps.logger,
        });
        const promotionService = new PromotionService({
          activity,
          environments,
          deployments,
          promotions: stores.promotions,
          deploymentService,
        });
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            ...stores,
            previewService,
            deploymentService,
            promotionService,
          }),
        );
        registerEnvironmentsActions(deps);
      },
    });
  },
});
