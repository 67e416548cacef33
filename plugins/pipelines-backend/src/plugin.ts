import {
  AuthService,
  coreServices,
  createBackendPlugin,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { pipelinesPermissions } from '@internal/plugin-pipelines-common';
import {
  PipelineExecutor,
  pipelineExecutorExtensionPoint,
  readImageRegistryConfig,
} from '@internal/plugin-pipelines-node';
import { registerPipelinesActions } from './actions/registerActions';
import { RepositoryComponents } from './catalog/RepositoryComponents';
import { catalogComponentFacts } from './engine/componentFacts';
import { readEngineSettings, readExecutorId } from './engine/engineSettings';
import { createEnvironmentsHandOff } from './engine/environmentsHandOff';
import { RunDeliveryHandler } from './engine/RunDeliveryHandler';
import { RunEngine } from './engine/RunEngine';
import { DeliveryIngestor } from './ingest/DeliveryIngestor';
import {
  readDeliveryRetention,
  scheduleDeliveryRetention,
} from './service/deliveryRetention';
import { createRouter } from './service/router';
import { DoraService } from './dora/DoraService';
import { DoraRunFacts } from './dora/DoraRunFacts';
import { RunActivity } from './service/RunActivity';
import { createPipelinesStores } from './store/pipelinesStores';
import { RunStore } from './store/RunStore';
import { ScheduleStore } from './store/ScheduleStore';
import { scheduleScheduledRuns } from './engine/scheduledRuns';

/**
 * The Pipeline Engine's backend plugin: `/api/pipelines`.
 *
 * @public
 */
export const pipelinesPlugin = createBackendPlugin({
  pluginId: 'pipelines',
  register(env) {
    const executors = new Map<string, PipelineExecutor>();
    env.registerExtensionPoint(pipelineExecutorExtensionPoint, {
      addExecutor(executor) {
        if (executors.has(executor.id)) {
          throw new Error(
            `A pipeline executor with id '${executor.id}' was added already`,
          );
        }
        executors.set(executor.id, executor);
      },
    });
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { deliveries, runs, schedules } = await createPipelinesStores({
          database: deps.database,
        });
        deps.permissionsRegistry.addPermissions(pipelinesPermissions);
        const engine = createEngine(deps, runs, executors, schedules);
        const handler = engine
          ? new RunDeliveryHandler(engine, deps.logger)
          : undefined;
        const ingestor = new DeliveryIngestor({
          store: deliveries,
          components: new RepositoryComponents({
            catalog: deps.catalog,
            auth: deps.auth,
          }),
          auditor: deps.auditor,
          logger: deps.logger,
          handler,
        });
        await ingestor.subscribe(deps.events);
        await new RunActivity(deps).subscribe(deps.events);
        if (engine && handler) {
          deps.lifecycle.addStartupHook(async () => {
            try {
              await handler.catchUp(deliveries, deps.logger);
            } catch (error) {
              // They stay unprocessed and are tried again at the next start;
              // new deliveries and queued runs need not wait for them.
              deps.logger.error(
                `Could not queue runs for earlier deliveries: ${error}`,
              );
            }
            engine.start();
          });
          deps.lifecycle.addShutdownHook(() => engine.stop());
          await scheduleScheduledRuns({
            scheduler: deps.scheduler,
            schedules,
            engine,
            logger: deps.logger,
          });
        }
        await scheduleDeliveryRetention({
          deliveries,
          scheduler: deps.scheduler,
          logger: deps.logger,
          retentionMs: readDeliveryRetention(deps.config),
        });
        const dora = new DoraService({
          deployments: createEnvironmentsHandOff(deps),
          runs: new DoraRunFacts(runs),
        });
        deps.httpRouter.use(
          await createRouter({ ...deps, deliveries, runs, engine, dora }),
        );
        registerPipelinesActions(deps);
      },
    });
  },
});

/**
 * The engine with the configured executor, or none (logged) when no module
 * added that executor: deliveries are then recorded but start no runs.
 */
function createEngine(
  deps: {
    config: Config;
    logger: LoggerService;
    events: EventsService;
    catalog: CatalogService;
    auth: AuthService;
    discovery: DiscoveryService;
  },
  runs: RunStore,
  executors: Map<string, PipelineExecutor>,
  schedules: ScheduleStore,
): RunEngine | undefined {
  const settings = readEngineSettings(deps.config);
  const executorId = readExecutorId(deps.config);
  const executor = executors.get(executorId);
  if (!executor) {
    deps.logger.warn(
      `No pipeline executor '${executorId}' (pipelines.engine.executor) was added${
        executors.size > 0
          ? `; there are: ${[...executors.keys()].join(', ')}`
          : ''
      }: webhook deliveries are recorded, but no pipeline runs`,
    );
    return undefined;
  }
  return new RunEngine({
    store: runs,
    executor,
    executors,
    logger: deps.logger,
    settings,
    events: deps.events,
    componentFacts: catalogComponentFacts(deps),
    imageRegistry: readImageRegistryConfig(deps.config),
    deployments: createEnvironmentsHandOff(deps),
    schedules,
  });
}
