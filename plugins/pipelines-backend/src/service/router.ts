import { LoggerService } from '@backstage/backend-plugin-api';
import {
  apiRequestGuards,
  hideInternalErrors,
  rejectUnknownBodyFields,
} from '@internal/platform-node';
import { Router } from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { addDeliveryRoutes, DeliveryRouteOptions } from './deliveryRoutes';
import { addDoraRoutes, DoraRouteOptions } from './doraRoutes';
import { addRunRoutes, RunRouteOptions } from './runRoutes';

/** What the pipelines router needs: what each resource's routes need. */
export type RouterOptions = DeliveryRouteOptions &
  RunRouteOptions &
  DoraRouteOptions & { logger: LoggerService };

/**
 * The pipelines HTTP API, validated against src/schema/openapi.yaml: the
 * routes of each resource come from the file named after it.
 */
export async function createRouter(options: RouterOptions) {
  const router = await createOpenApiRouter({
    // The JSON body is parsed by apiRequestGuards, in front.
    middleware: [rejectUnknownBodyFields(spec)],
  });
  addDeliveryRoutes(router, options);
  addRunRoutes(router, options);
  addDoraRoutes(router, options);
  // The guards go in front of the OpenAPI router, which would turn their
  // 405, 413 and 415 into 400.
  return Router().use(
    apiRequestGuards(spec),
    router,
    hideInternalErrors(options.logger),
  );
}
