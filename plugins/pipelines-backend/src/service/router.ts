import {
  AuditorService,
  AuthService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { pipelinesDeliveryReadPermission } from '@internal/plugin-pipelines-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RunEngine } from '../engine/RunEngine';
import { RunStore } from '../store/RunStore';
import { DeliveryStore } from '../store/DeliveryStore';
import { addRunRoutes } from './runRoutes';
import { addDoraRoutes } from './doraRoutes';
import { DoraService } from '../dora/DoraService';

/** What the pipelines router needs. */
export interface RouterOptions {
  deliveries: DeliveryStore;
  runs: RunStore;
  /** Absent when no executor is configured. */
  engine?: RunEngine;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  auth: AuthService;
  dora: DoraService;
}

/** `payments-api` or `component:default/payments-api`, as a full entity ref. */
function componentRef(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `component '${value}' is not an entity ref: ${(error as Error).message}`,
    );
  }
  if (ref.kind.toLowerCase() !== 'component') {
    throw new InputError(
      `component '${value}' is a ${ref.kind}, not a component`,
    );
  }
  return stringifyEntityRef(ref);
}

/** The pipelines HTTP API, validated against src/schema/openapi.yaml. */
export async function createRouter(options: RouterOptions) {
  const { deliveries, httpAuth, permissions } = options;
  const router = await createOpenApiRouter({ middleware: [express.json()] });

  /** Every route: a user or service token, and the read permission. */
  async function authorizeRead(req: express.Request<any, any, any, any, any>) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: pipelinesDeliveryReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${pipelinesDeliveryReadPermission.name}`,
      );
    }
  }

  router.get('/deliveries', async (req, res) => {
    await authorizeRead(req);
    const { component, repository, status, limit, cursor } = req.query;
    res.json(
      await deliveries.list({
        ...(component ? { component: componentRef(component) } : {}),
        ...(repository ? { repository } : {}),
        ...(status ? { status } : {}),
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
  });

  router.get('/deliveries/:id', async (req, res) => {
    await authorizeRead(req);
    res.json(await deliveries.get(Number(req.params.id)));
  });

  addRunRoutes(router, { ...options, componentRef });
  addDoraRoutes(router, { ...options, componentRef });

  return router;
}
