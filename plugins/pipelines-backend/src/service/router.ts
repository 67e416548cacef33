import { rejectUnknownBodyFields } from '@internal/platform-node';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { addDeliveryRoutes, DeliveryRouteOptions } from './deliveryRoutes';
import { addDoraRoutes, DoraRouteOptions } from './doraRoutes';
import { addRunRoutes, RunRouteOptions } from './runRoutes';

/** What the pipelines router needs: what each resource's routes need. */
export type RouterOptions = DeliveryRouteOptions &
  RunRouteOptions &
  DoraRouteOptions;

/**
 * The pipelines HTTP API, validated against src/schema/openapi.yaml: the
 * routes of each resource come from the file named after it.
 */
export async function createRouter(options: RouterOptions) {
  const router = await createOpenApiRouter({
    middleware: [express.json(), rejectUnknownBodyFields(spec)],
  });
  addDeliveryRoutes(router, options);
  addRunRoutes(router, options);
  addDoraRoutes(router, options);
  return router;
}
