import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import { environmentLockPermission } from '@internal/plugin-environments-common';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { LockStore } from '../store/LockStore';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the lock routes need. */
export interface LockRouteOptions {
  environments: EnvironmentStore;
  locks: LockStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the lock routes (`/locks`, `/environments/{name}/locks...`). */
export function addLockRoutes(
  router: OpenApiRouter,
  options: LockRouteOptions,
) {
  const { environments, locks } = options;
  const { credentials, authorize, audited } = createRouteHelpers(options);

  router.get('/locks', async (req, res) => {
    await credentials(req);
    res.json({ items: await locks.active() });
  });

  router.get('/environments/:name/locks', async (req, res) => {
    await credentials(req);
    const environment = await environments.get(req.params.name);
    res.json({ items: await locks.active(environment.name) });
  });

  router.post('/environments/:name/locks', async (req, res) => {
    const { name } = req.params;
    const { reason, expiresAt } = req.body;
    if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
      throw new InputError(
        `request/body/expiresAt must be in the future, got ${expiresAt}`,
      );
    }
    const lock = await audited(
      req,
      'environment-lock',
      { name, reason, expiresAt: expiresAt ?? null },
      async () => {
        await environments.get(name);
        const actor = actorOf(
          await authorize(req, environmentLockPermission, name),
        );
        return locks.lock(name, req.body, actor);
      },
    );
    res.status(201).json(lock);
  });

  router.delete('/environments/:name/locks/:lockId', async (req, res) => {
    const { name, lockId } = req.params;
    await audited(req, 'environment-unlock', { name, lockId }, async () => {
      await environments.get(name);
      const actor = actorOf(
        await authorize(req, environmentLockPermission, name),
      );
      await locks.release(name, lockId, actor);
    });
    res.status(204).end();
  });
}
