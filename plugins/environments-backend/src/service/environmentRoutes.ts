import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { Config } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  Environment,
  environmentCreatePermission,
  environmentDeletePermission,
  environmentReadPermission,
  environmentUpdatePermission,
  ENVIRONMENTS_TOPIC,
  EnvironmentEventType,
} from '@internal/plugin-environments-common';
import {
  environmentResourceRef,
  readKubernetesClusters,
} from '@internal/plugin-environments-node';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { environmentEvent } from '../events/cdevents';
import { spec } from '../schema/openapi';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { assertConfiguredCluster } from './targetCluster';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the environment routes need. */
export interface EnvironmentRouteOptions {
  environments: EnvironmentStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  events: EventsService;
  logger: LoggerService;
  /** Where `environments.kubernetes.clusters` is read: a target's cluster must be one. */
  config: Config;
}

/** Adds the environment routes (`/environments`, `/environments/{name}`). */
export function addEnvironmentRoutes(
  router: OpenApiRouter,
  options: EnvironmentRouteOptions,
) {
  const { environments, permissions, events, logger } = options;
  const clusters = readKubernetesClusters(options.config).map(c => c.name);
  const { credentials, authorize, audited } = createRouteHelpers(options);
  // Environments are this plugin's resources: conditional read decisions are
  // applied here, against the rules registered for them.
  const readAuthorizer = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(environmentResourceRef),
  );

  async function announce(
    type: EnvironmentEventType,
    environment: Environment,
    actor: string,
  ) {
    await events
      .publish({
        topic: ENVIRONMENTS_TOPIC,
        eventPayload: environmentEvent(type, environment, actor),
      })
      .catch(error =>
        // The change is committed; a subscriber that misses the event can
        // re-read the environment, so this is logged rather than undone.
        logger.error(`Could not publish environment.${type}`, error),
      );
  }

  router.get('/environments', async (req, res) => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: environmentReadPermission }],
      { credentials: await credentials(req) },
    );
    const all = await environments.list();
    let items: Environment[] = [];
    if (decision.result === AuthorizeResult.ALLOW) {
      items = all;
    } else if (decision.result === AuthorizeResult.CONDITIONAL) {
      items = all.filter(env => readAuthorizer(decision, env));
    }
    res.json({ items });
  });

  router.post('/environments', async (req, res) => {
    assertConfiguredCluster(req.body.target, clusters);
    const environment = await audited(
      req,
      'environment-created',
      { name: req.body.name },
      async () => {
        const actor = actorOf(
          await authorize(req, environmentCreatePermission),
        );
        const input = { ...req.body, protected: req.body.protected ?? false };
        const created = await environments.create(input, actor);
        await announce('created', created, actor);
        return created;
      },
    );
    res.status(201).json(environment);
  });

  router.get('/environments/:name', async (req, res) => {
    const environment = await environments.get(req.params.name);
    await authorize(req, environmentReadPermission, environment.name);
    res.json(environment);
  });

  router.patch('/environments/:name', async (req, res) => {
    const { name } = req.params;
    assertConfiguredCluster(req.body.target, clusters);
    const environment = await audited(
      req,
      'environment-modified',
      { name, changes: req.body },
      async () => {
        await environments.get(name);
        const actor = actorOf(
          await authorize(req, environmentUpdatePermission, name),
        );
        const { after } = await environments.update(name, req.body, actor);
        await announce('modified', after, actor);
        return after;
      },
    );
    res.json(environment);
  });

  router.delete('/environments/:name', async (req, res) => {
    const { name } = req.params;
    await audited(req, 'environment-deleted', { name }, async () => {
      await environments.get(name);
      const actor = actorOf(
        await authorize(req, environmentDeletePermission, name),
      );
      const deleted = await environments.delete(name);
      await announce('deleted', deleted, actor);
    });
    res.status(204).end();
  });
}
