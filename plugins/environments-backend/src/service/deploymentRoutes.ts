import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deploymentCreatePermission,
  deploymentProtectedPermission,
  deploymentReportPermission,
} from '@internal/plugin-environments-common';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { DeploymentStore } from '../store/DeploymentStore';
import { DeploymentService } from './DeploymentService';
import { triggerOf } from './deploymentTrigger';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the deployment routes need. */
export interface DeploymentRouteOptions {
  deployments: DeploymentStore;
  deploymentService: DeploymentService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the deployment routes (`/deployments...`, `/rollbacks`). */
export function addDeploymentRoutes(
  router: OpenApiRouter,
  options: DeploymentRouteOptions,
) {
  const { deployments, deploymentService, permissions } = options;
  const { credentials, authorize, audited } = createRouteHelpers(options);

  router.get('/deployments', async (req, res) => {
    await credentials(req);
    const { component, environment, limit } = req.query;
    res.json({
      items: await deployments.list({ component, environment, limit }),
    });
  });

  router.get('/deployments/current', async (req, res) => {
    await credentials(req);
    const { component, environment } = req.query;
    if (!component && !environment) {
      throw new InputError(
        'Query parameter component or environment is required',
      );
    }
    res.json({ items: await deployments.current({ component, environment }) });
  });

  router.get('/deployments/:id', async (req, res) => {
    await credentials(req);
    res.json(await deployments.get(req.params.id));
  });

  router.post('/deployments', async (req, res) => {
    const request = req.body;
    const deployment = await audited(
      req,
      'deployment-create',
      {
        component: request.component,
        environment: request.environment,
        version: request.version,
        digest: request.artifact.digest,
      },
      async () => {
        const caller = await authorize(
          req,
          deploymentCreatePermission,
          request.component,
        );
        const environment = await deploymentService.resolveTarget(
          request,
          caller,
        );
        if (environment.protected) {
          const [decision] = await permissions.authorize(
            [{ permission: deploymentProtectedPermission }],
            { credentials: caller },
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
          triggerOf(caller, request),
        );
      },
    );
    res.status(201).json(deployment);
  });

  router.post('/deployments/:id/status', async (req, res) => {
    const { id } = req.params;
    const deployment = await audited(
      req,
      'deployment-report',
      { id, status: req.body.status },
      async () => {
        const current = await deployments.get(id);
        await authorize(req, deploymentReportPermission, current.component);
        return deploymentService.report(id, req.body);
      },
    );
    res.json(deployment);
  });

  // A rollback is a deployment of an earlier artifact: the same permission.
  router.post('/rollbacks', async (req, res) => {
    const { component, environment, to } = req.body;
    const deployment = await audited(
      req,
      'deployment-rollback',
      { component, environment, to: to ?? null },
      async () => {
        const actor = actorOf(
          await authorize(req, deploymentCreatePermission, component),
        );
        return deploymentService.rollback(req.body, {
          type: 'user',
          user: actor,
        });
      },
    );
    res.status(201).json(deployment);
  });
}
