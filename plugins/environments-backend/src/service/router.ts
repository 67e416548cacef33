import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  Environment,
  environmentCreatePermission,
  environmentDeletePermission,
  environmentReadPermission,
  environmentUpdatePermission,
} from '@internal/plugin-environments-common';
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { rejectUnknownBodyFields } from './unknownFields';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { environmentResourceRef } from '../permissions/environmentRules';
import {
  ENVIRONMENTS_TOPIC,
  environmentEvent,
  EnvironmentEventType,
} from '../events/cdevents';

/** What the environments router needs. */
export interface RouterOptions {
  store: EnvironmentStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  events: EventsService;
  logger: LoggerService;
}

/** The environments HTTP API, validated against src/schema/openapi.yaml. */
export async function createRouter(options: RouterOptions) {
  const { store, httpAuth, permissions, auditor, events, logger } = options;
  const router = await createOpenApiRouter({
    middleware: [express.json(), rejectUnknownBodyFields(spec)],
  });
  const readAuthorizer = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(environmentResourceRef),
  );

  async function authorize(
    req: Request<any, any, any, any, any>,
    permission: BasicPermission | ResourcePermission<'environment'>,
    environment?: Environment,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: environment?.name } as any],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      const target = environment ? ` on environment '${environment.name}'` : '';
      throw new NotAllowedError(`Not allowed to ${permission.name}${target}`);
    }
    return credentials.principal.type === 'user'
      ? credentials.principal.userEntityRef
      : credentials.principal.subject;
  }

  /** Runs a change under an audit event and publishes its CDEvent. */
  async function audited<T extends Environment>(
    req: Request<any, any, any, any, any>,
    eventType: EnvironmentEventType,
    meta: JsonObject,
    change: () => Promise<{ environment: T; actor: string }>,
  ): Promise<T> {
    const auditEvent = await auditor.createEvent({
      eventId: `environment-${eventType}`,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const { environment, actor } = await change();
      await auditEvent.success({
        meta: { ...meta, environment: environment.name },
      });
      await events
        .publish({
          topic: ENVIRONMENTS_TOPIC,
          eventPayload: environmentEvent(eventType, environment, actor),
        })
        .catch(error =>
          // The change is committed; a subscriber that misses the event can
          // re-read the environment, so this is logged rather than undone.
          logger.error(`Could not publish environment.${eventType}`, error),
        );
      return environment;
    } catch (error) {
      await auditEvent.fail({ meta, error: error as Error });
      throw error;
    }
  }

  router.get('/environments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
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
    const environment = await audited(
      req,
      'created',
      { name: req.body.name },
      async () => {
        const actor = await authorize(req, environmentCreatePermission);
        const input = { ...req.body, protected: req.body.protected ?? false };
        return { environment: await store.create(input, actor), actor };
      },
    );
    res.status(201).json(environment);
  });

  router.get('/environments/:name', async (req, res) => {
    const environment = await store.get(req.params.name);
    await authorize(req, environmentReadPermission, environment);
    res.json(environment);
  });

  router.patch('/environments/:name', async (req, res) => {
    const environment = await audited(
      req,
      'modified',
      { name: req.params.name, changes: req.body as JsonObject },
      async () => {
        const current = await store.get(req.params.name);
        const actor = await authorize(
          req,
          environmentUpdatePermission,
          current,
        );
        const { after } = await store.update(req.params.name, req.body, actor);
        return { environment: after, actor };
      },
    );
    res.json(environment);
  });

  router.delete('/environments/:name', async (req, res) => {
    await audited(req, 'deleted', { name: req.params.name }, async () => {
      const current = await store.get(req.params.name);
      const actor = await authorize(req, environmentDeletePermission, current);
      return { environment: await store.delete(req.params.name), actor };
    });
    res.status(204).end();
  });

  return router;
}
