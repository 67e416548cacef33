import { rejectUnknownBodyFields } from '@internal/platform-node';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import {
  addDeploymentRoutes,
  DeploymentRouteOptions,
} from './deploymentRoutes';
import {
  addEnvironmentRoutes,
  EnvironmentRouteOptions,
} from './environmentRoutes';
import { addLockRoutes, LockRouteOptions } from './lockRoutes';
import { addPreviewRoutes, PreviewRouteOptions } from './previewRoutes';
import { addPromotionRoutes, PromotionRouteOptions } from './promotionRoutes';
import { addVariableRoutes, VariableRouteOptions } from './variableRoutes';

/** What the environments router needs: what each resource's routes need. */
export type RouterOptions = EnvironmentRouteOptions &
  LockRouteOptions &
  VariableRouteOptions &
  DeploymentRouteOptions &
  PromotionRouteOptions &
  PreviewRouteOptions;

/**
 * The environments HTTP API, validated against src/schema/openapi.yaml: the
 * routes of each resource come from the file named after it.
 */
export async function createRouter(options: RouterOptions) {
  const router = await createOpenApiRouter({
    middleware: [express.json(), rejectUnknownBodyFields(spec)],
  });
  addEnvironmentRoutes(router, options);
  addLockRoutes(router, options);
  addVariableRoutes(router, options);
  addDeploymentRoutes(router, options);
  addPromotionRoutes(router, options);
  addPreviewRoutes(router, options);
  return router;
}
