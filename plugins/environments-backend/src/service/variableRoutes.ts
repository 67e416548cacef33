import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { NotFoundError } from '@backstage/errors';
import {
  environmentReadPermission,
  environmentSecretsManagePermission,
  environmentUpdatePermission,
} from '@internal/plugin-environments-common';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { VariableStore } from '../store/VariableStore';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the variable routes need. */
export interface VariableRouteOptions {
  environments: EnvironmentStore;
  variables: VariableStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the variable routes (`/environments/{name}/variables...`). */
export function addVariableRoutes(
  router: OpenApiRouter,
  options: VariableRouteOptions,
) {
  const { environments, variables } = options;
  const { authorize, audited } = createRouteHelpers(options);

  router.get('/environments/:name/variables', async (req, res) => {
    const environment = await environments.get(req.params.name);
    await authorize(req, environmentReadPermission, environment.name);
    res.json({ items: await variables.list(environment.name) });
  });

  // A secret, and anything that replaces or removes one, takes the secrets
  // permission; plain variables are part of the environment's settings.
  // Audit records never carry a value.
  router.put('/environments/:name/variables/:variable', async (req, res) => {
    const { name, variable } = req.params;
    const secret = req.body.secret ?? false;
    const result = await audited(
      req,
      'environment-variable-set',
      { name, variable, secret },
      async () => {
        await environments.get(name);
        const existing = await variables.find(name, variable);
        const actor = actorOf(
          await authorize(
            req,
            secret || existing?.secret
              ? environmentSecretsManagePermission
              : environmentUpdatePermission,
            name,
          ),
        );
        return variables.set(
          name,
          variable,
          { value: req.body.value, secret },
          actor,
        );
      },
    );
    res.json(result);
  });

  router.delete('/environments/:name/variables/:variable', async (req, res) => {
    const { name, variable } = req.params;
    await audited(
      req,
      'environment-variable-delete',
      { name, variable },
      async () => {
        await environments.get(name);
        const existing = await variables.find(name, variable);
        if (!existing) {
          throw new NotFoundError(
            `Environment '${name}' has no variable '${variable}'`,
          );
        }
        await authorize(
          req,
          existing.secret
            ? environmentSecretsManagePermission
            : environmentUpdatePermission,
          name,
        );
        await variables.delete(name, variable);
      },
    );
    res.status(204).end();
  });
}
