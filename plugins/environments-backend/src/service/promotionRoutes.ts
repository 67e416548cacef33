import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import {
  promotionApprovePermission,
  promotionCreatePermission,
} from '@internal/plugin-environments-common';
import { actorOf, createRouteHelpers } from '@internal/platform-node';
import { spec } from '../schema/openapi';
import { PromotionStore } from '../store/PromotionStore';
import { PromotionService } from './PromotionService';

type OpenApiRouter = ApiRouter<typeof spec>;

/** What the promotion routes need. */
export interface PromotionRouteOptions {
  promotions: PromotionStore;
  promotionService: PromotionService;
  userInfo: UserInfoService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** Adds the promotion routes (`/promotions...`). */
export function addPromotionRoutes(
  router: OpenApiRouter,
  options: PromotionRouteOptions,
) {
  const { promotions, promotionService, httpAuth } = options;
  const { credentials, authorize, audited } = createRouteHelpers(options);

  router.get('/promotions', async (req, res) => {
    await credentials(req);
    res.json({ items: await promotions.list(req.query.component) });
  });

  router.post('/promotions', async (req, res) => {
    const { component, from, to } = req.body;
    const promotion = await audited(
      req,
      'promotion-create',
      { component, from, to: to ?? null },
      async () => {
        const actor = actorOf(
          await authorize(req, promotionCreatePermission, component),
        );
        return promotionService.promote(req.body, actor);
      },
    );
    res.status(promotion.status === 'deployed' ? 201 : 202).json(promotion);
  });

  router.post('/promotions/:id/approve', async (req, res) => {
    const { id } = req.params;
    const promotion = await audited(
      req,
      'promotion-approve',
      { id },
      async () => {
        // Approvals are personal: only users, never services, approve.
        const user = await httpAuth.credentials(req, { allow: ['user'] });
        const { to } = await promotions.get(id);
        await authorize(req, promotionApprovePermission, to);
        const info = await options.userInfo.getUserInfo(user);
        return promotionService.approve(id, info);
      },
    );
    res.json(promotion);
  });
}
