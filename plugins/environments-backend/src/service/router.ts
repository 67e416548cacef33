import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  DeploymentRequest,
  deploymentCreatePermission,
  deploymentProtectedPermission,
  deploymentReportPermission,
  Environment,
  environmentCreatePermission,
  environmentDeletePermission,
  environmentLockPermission,
  environmentReadPermission,
  environmentSecretsManagePermission,
  environmentUpdatePermission,
  promotionApprovePermission,
  promotionCreatePermission,
} from '@internal/plugin-environments-common';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { DeploymentStore } from '../store/DeploymentStore';
import { DatabaseLockStore } from '../store/DatabaseLockStore';
import { DatabaseVariableStore } from '../store/DatabaseVariableStore';
import { environmentResourceRef } from '@internal/plugin-environments-node';
import {
  ENVIRONMENTS_TOPIC,
  environmentEvent,
  EnvironmentEventType,
} from '../events/cdevents';
import { rejectUnknownBodyFields } from './unknownFields';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { triggerOf } from './deploymentTrigger';
import { DeploymentService } from './DeploymentService';
import { PromotionService } from './PromotionService';
import { PreviewService } from './PreviewService';
import { DatabasePromotionStore } from '../store/DatabasePromotionStore';

/** What the environments router needs. */
export interface RouterOptions {
  store: EnvironmentStore;
  deployments: DeploymentStore;
  locks: DatabaseLockStore;
  variables: DatabaseVariableStore;
  previewService: PreviewService;
  deploymentService: DeploymentService;
  promotionService: PromotionService;
  promotions: DatabasePromotionStore;
  userInfo: UserInfoService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  events: EventsService;
  logger: LoggerService;
}

/** The environments HTTP API, validated against src/schema/openapi.yaml. */
export async function createRouter(options: RouterOptions) {
  const { store, permissions, events, logger, deploymentService } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json(), rejectUnknownBodyFields(spec)],
  });
  const helpers = createRouteHelpers(options);
  /** A change to what a component runs: audited, and for its owners only. */
  const changeComponent = <T>(
    req: express.Request<any, any, any, any, any>,
    eventId: string,
    meta: JsonObject & { component: string },
    change: (credentials: BackstageCredentials) => Promise<T>,
    permission: ResourcePermission<'catalog-entity'> = deploymentCreatePermission,
  ) =>
    helpers.audited(req, eventId, meta, async () =>
      change(await helpers.authorize(req, permission, meta.component)),
    );

  // Approvals are personal: only users, never services, approve.
  const httpAuthUser = (req: express.Request<any, any, any, any, any>) =>
    options.httpAuth.credentials(req, { allow: ['user'] });
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
    const credentials = await helpers.credentials(req);
    const [decision] = await permissions.authorizeConditional(
      [{ permission: environmentReadPermission }],
      { credentials },
    );
    const all = await store.list();
    let items: Environment[] = [];
    if (decision.result === AuthorizeResult.ALLOW) {
      items = all;
    } else if (decision.result === AuthorizeResult.CONDITIONAL) {
      items = all.filter(env => readAuthorizer(decision, env));
    }
    res.json({ items });
  });

  router.post('/environments', async (req, res) => {
    const environment = await helpers.audited(
      req,
      'environment-created',
      { name: req.body.name },
      async () => {
        const credentials = await helpers.authorize(
          req,
          environmentCreatePermission,
        );
        const actor = actorOf(credentials);
        const input = { ...req.body, protected: req.body.protected ?? false };
        const created = await store.create(input, actor);
        await announce('created', created, actor);
        return created;
      },
    );
    res.status(201).json(environment);
  });

  router.get('/environments/:name', async (req, res) => {
    const environment = await store.get(req.params.name);
    await helpers.authorize(req, environmentReadPermission, environment.name);
    res.json(environment);
  });

  router.patch('/environments/:name', async (req, res) => {
    const { name } = req.params;
    const environment = await helpers.audited(
      req,
      'environment-modified',
      { name, changes: req.body },
      async () => {
        await store.get(name);
        const credentials = await helpers.authorize(
          req,
          environmentUpdatePermission,
          name,
        );
        const actor = actorOf(credentials);
        const { after } = await store.update(name, req.body, actor);
        await announce('modified', after, actor);
        return after;
      },
    );
    res.json(environment);
  });

  router.delete('/environments/:name', async (req, res) => {
    const { name } = req.params;
    await helpers.audited(req, 'environment-deleted', { name }, async () => {
      await store.get(name);
      const credentials = await helpers.authorize(
        req,
        environmentDeletePermission,
        name,
      );
      const deleted = await store.delete(name);
      await announce('deleted', deleted, actorOf(credentials));
    });
    res.status(204).end();
  });

  router.get('/locks', async (req, res) => {
    await helpers.credentials(req);
    res.json({ items: await options.locks.active() });
  });

  router.get('/environments/:name/locks', async (req, res) => {
    await helpers.credentials(req);
    const environment = await store.get(req.params.name);
    res.json({ items: await options.locks.active(environment.name) });
  });

  router.post('/environments/:name/locks', async (req, res) => {
    const { name } = req.params;
    const lock = await helpers.audited(
      req,
      'environment-lock',
      { name, reason: req.body.reason, expiresAt: req.body.expiresAt ?? null },
      async () => {
        await store.get(name);
        const credentials = await helpers.authorize(
          req,
          environmentLockPermission,
          name,
        );
        const { expiresAt } = req.body;
        if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
          throw new InputError(
            `request/body/expiresAt must be in the future, got ${expiresAt}`,
          );
        }
        return options.locks.lock(name, req.body, actorOf(credentials));
      },
    );
    res.status(201).json(lock);
  });

  router.delete('/environments/:name/locks/:lockId', async (req, res) => {
    const { name, lockId } = req.params;
    await helpers.audited(
      req,
      'environment-unlock',
      { name, lockId },
      async () => {
        await store.get(name);
        const credentials = await helpers.authorize(
          req,
          environmentLockPermission,
          name,
        );
        await options.locks.release(name, lockId, actorOf(credentials));
      },
    );
    res.status(204).end();
  });

  router.get('/environments/:name/variables', async (req, res) => {
    const environment = await store.get(req.params.name);
    await helpers.authorize(req, environmentReadPermission, environment.name);
    res.json({ items: await options.variables.list(environment.name) });
  });

  // A secret, and anything that replaces or removes one, takes the secrets
  // permission; plain variables are part of the environment's settings.
  // Audit records never carry a value.
  router.put('/environments/:name/variables/:variable', async (req, res) => {
    const { name, variable } = req.params;
    const secret = req.body.secret ?? false;
    const result = await helpers.audited(
      req,
      'environment-variable-set',
      { name, variable, secret },
      async () => {
        await store.get(name);
        const existing = await options.variables.find(name, variable);
        const credentials = await helpers.authorize(
          req,
          secret || existing?.secret
            ? environmentSecretsManagePermission
            : environmentUpdatePermission,
          name,
        );
        return options.variables.set(
          name,
          variable,
          { value: req.body.value, secret },
          actorOf(credentials),
        );
      },
    );
    res.json(result);
  });

  router.delete('/environments/:name/variables/:variable', async (req, res) => {
    const { name, variable } = req.params;
    await helpers.audited(
      req,
      'environment-variable-delete',
      { name, variable },
      async () => {
        await store.get(name);
        const existing = await options.variables.find(name, variable);
        if (!existing) {
          throw new NotFoundError(
            `Environment '${name}' has no variable '${variable}'`,
          );
        }
        await helpers.authorize(
          req,
          existing.secret
            ? environmentSecretsManagePermission
            : environmentUpdatePermission,
          name,
        );
        await options.variables.delete(name, variable);
      },
    );
    res.status(204).end();
  });

  router.post('/previews', async (req, res) => {
    const { component, pullRequest } = req.body;
    const { environment, created } = await changeComponent(
      req,
      'preview-create',
      { component, pullRequest: pullRequest.number, ttl: req.body.ttl ?? null },
      credentials =>
        options.previewService.create(
          req.body,
          credentials,
          actorOf(credentials),
        ),
    );
    res.status(created ? 201 : 200).json(environment);
  });

  router.delete('/previews/:name', async (req, res) => {
    const { name } = req.params;
    await helpers.audited(req, 'preview-teardown', { name }, async () => {
      await store.get(name);
      const credentials = await helpers.authorize(
        req,
        environmentDeletePermission,
        name,
      );
      await options.previewService.tearDown(name, actorOf(credentials));
    });
    res.status(204).end();
  });

  router.get('/promotions', async (req, res) => {
    await helpers.credentials(req);
    res.json({ items: await options.promotions.list(req.query.component) });
  });

  router.post('/promotions', async (req, res) => {
    const { component, from, to } = req.body;
    const promotion = await changeComponent(
      req,
      'promotion-create',
      { component, from, to: to ?? null },
      credentials =>
        options.promotionService.promote(req.body, actorOf(credentials)),
      promotionCreatePermission,
    );
    res.status(promotion.status === 'deployed' ? 201 : 202).json(promotion);
  });

  router.post('/promotions/:id/approve', async (req, res) => {
    const { id } = req.params;
    const promotion = await helpers.audited(
      req,
      'promotion-approve',
      { id },
      async () => {
        const credentials = await httpAuthUser(req);
        const { to } = await options.promotions.get(id);
        await helpers.authorize(req, promotionApprovePermission, to);
        const info = await options.userInfo.getUserInfo(credentials);
        return options.promotionService.approve(id, info);
      },
    );
    res.json(promotion);
  });

  router.post('/rollbacks', async (req, res) => {
    const { component, environment, to } = req.body;
    const deployment = await changeComponent(
      req,
      'deployment-rollback',
      { component, environment, to: to ?? null },
      credentials =>
        deploymentService.rollback(req.body, {
          type: 'user',
          user: actorOf(credentials),
        }),
    );
    res.status(201).json(deployment);
  });

  router.get('/deployments', async (req, res) => {
    await helpers.credentials(req);
    const { component, environment, limit } = req.query;
    res.json({
      items: await options.deployments.list({ component, environment, limit }),
    });
  });

  router.get('/deployments/current', async (req, res) => {
    await helpers.credentials(req);
    const { component, environment } = req.query;
    if (!component && !environment) {
      throw new InputError(
        'Query parameter component or environment is required',
      );
    }
    res.json({
      items: await options.deployments.current({ component, environment }),
    });
  });

  router.get('/deployments/:id', async (req, res) => {
    await helpers.credentials(req);
    res.json(await options.deployments.get(req.params.id));
  });

  router.post('/deployments', async (req, res) => {
    const request = req.body as DeploymentRequest;
    const deployment = await changeComponent(
      req,
      'deployment-create',
      {
        component: request.component,
        environment: request.environment,
        version: request.version,
        digest: request.artifact.digest,
      },
      async credentials => {
        const environment = await deploymentService.resolveTarget(
          request,
          credentials,
        );
        if (environment.protected) {
          const [decision] = await permissions.authorize(
            [{ permission: deploymentProtectedPermission }],
            { credentials },
          );
          if (decision.result !== AuthorizeResult.ALLOW) {
            throw new NotAllowedError(
              `Environment '${environment.name}' is protected: promote a version into it with approval instead of deploying directly`,
            );
          }
        }
        return deploymentService.deploy(
          request,
          environment,
          triggerOf(credentials, request),
        );
      },
    );
    res.status(201).json(deployment);
  });

  router.post('/deployments/:id/status', async (req, res) => {
    const { id } = req.params;
    const deployment = await helpers.audited(
      req,
      'deployment-report',
      { id, status: req.body.status },
      async () => {
        const current = await options.deployments.get(id);
        await helpers.authorize(
          req,
          deploymentReportPermission,
          current.component,
        );
        return deploymentService.report(id, req.body);
      },
    );
    res.json(deployment);
  });

  return router;
}
