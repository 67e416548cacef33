import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { pipelinesDeliveryReadPermission } from '@internal/plugin-pipelines-common';
import { componentRefOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { DeliveryStore } from '../store/DeliveryStore';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the delivery routes need. */
export interface DeliveryRouteOptions {
  deliveries: DeliveryStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the delivery routes (`/deliveries...`): the webhooks received. */
export function addDeliveryRoutes(
  router: OpenApiRouter,
  options: DeliveryRouteOptions,
) {
  const { deliveries } = options;
  const { authorize } = createRouteHelpers(options);

  router.get('/deliveries', async (req, res) => {
    await authorize(req, pipelinesDeliveryReadPermission);
    const { component, repository, status, limit, cursor } = req.query;
    res.json(
      await deliveries.list({
        ...(component ? { component: componentRefOf(component) } : {}),
        ...(repository ? { repository } : {}),
        ...(status ? { status } : {}),
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
  });

  router.get('/deliveries/:id', async (req, res) => {
    await authorize(req, pipelinesDeliveryReadPermission);
    res.json(await deliveries.get(Number(req.params.id)));
  });
}
