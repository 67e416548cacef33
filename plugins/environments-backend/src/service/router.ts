import { LoggerService } from '@backstage/backend-plugin-api';
import {
  apiRequestGuards,
  hideInternalErrors,
  rejectUnknownBodyFields,
} from '@internal/platform-node';
import { Router } from 'express';
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
  PreviewRouteOptions & { logger: LoggerService };

/**
 * The environments HTTP API, validated against src/schema/openapi.yaml: the
 * routes of each resource come from the file named after it.
 */
export async function createRouter(options: RouterOptions) {
  const router = await createOpenApiRouter({
    // The JSON body is parsed by apiRequestGuards, in front.
    middleware: [rejectUnknownBodyFields(spec)],
  });
  addEnvironmentRoutes(router, options);
  addLockRoutes(router, options);
  addVariableRoutes(router, options);
  addDeploymentRoutes(router, options);
  addPromotionRoutes(router, options);
  addPreviewRoutes(router, options);
  // The guards go in front of the OpenAPI router, which would turn their
  // 405, 413 and 415 into 400.
  return Router().use(
    apiRequestGuards(spec),
    router,
    hideInternalErrors(options.logger),
  );
}
