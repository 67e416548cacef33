import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import {
  deploymentCreatePermission,
  environmentDeletePermission,
} from '@internal/plugin-environments-common';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { PreviewService } from './PreviewService';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the preview routes need. */
export interface PreviewRouteOptions {
  environments: EnvironmentStore;
  previewService: PreviewService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the preview routes (`/previews`, `/previews/{name}`). */
export function addPreviewRoutes(
  router: OpenApiRouter,
  options: PreviewRouteOptions,
) {
  const { environments, previewService } = options;
  const { authorize, audited } = createRouteHelpers(options);

  // A preview is a deployment target for a component: whoever may deploy
  // the component may have one.
  router.post('/previews', async (req, res) => {
    const { component, pullRequest, ttl } = req.body;
    const { environment, created } = await audited(
      req,
      'preview-create',
      { component, pullRequest: pullRequest.number, ttl: ttl ?? null },
      async () => {
        const credentials = await authorize(
          req,
          deploymentCreatePermission,
          component,
        );
        return previewService.create(
          req.body,
          credentials,
          actorOf(credentials),
        );
      },
    );
    res.status(created ? 201 : 200).json(environment);
  });

  router.delete('/previews/:name', async (req, res) => {
    const { name } = req.params;
    await audited(req, 'preview-teardown', { name }, async () => {
      await environments.get(name);
      const actor = actorOf(
        await authorize(req, environmentDeletePermission, name),
      );
      await previewService.tearDown(name, actor);
    });
    res.status(204).end();
  });
}
