import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogIngestionManagePermission,
  catalogLocationDeletePermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  deploymentProtectedPermission,
  environmentCreatePermission,
  promotionApprovePermission,
  RESOURCE_TYPE_ENVIRONMENT,
} from '@internal/plugin-environments-common';
import {
  createEnvironmentConditionalDecision,
  environmentConditions,
} from '@internal/plugin-environments-node';
import { pipelinesLogsReadPermission } from '@internal/plugin-pipelines-common';

/** Options for {@link PlatformPermissionPolicy}. @public */
export interface PlatformPermissionPolicyOptions {
  /** Group entity refs whose members are allowed everything. */
  adminGroups: string[];
}

/**
 * Permissions that change the platform as a whole rather than something a
 * team owns, so only platform admins hold them.
 */
const ADMIN_ONLY_PERMISSIONS = [
  environmentCreatePermission,
  deploymentProtectedPermission,
  catalogLocationDeletePermission,
  catalogIngestionManagePermission,
  templateManagementPermission,
];

/**
 * The platform's permission policy.
 *
 * - Members of an admin group may do everything.
 * - Everyone signed in may read, except pipeline logs, which the owners of
 *   the component read (runs are read by everyone).
 * - A change to a catalog entity is allowed to the members of the group that
 *   owns it (conditional decision on the entity's owner).
 * - A change to an environment (its settings, locks, variables and secrets)
 *   is allowed to the members of its owner group.
 * - A scaffolder task may be cancelled by whoever started it.
 * - Deploying or promoting a component is a change to it: its owners may
 *   (both are catalog-entity permissions).
 * - Approving a promotion is open to every signed-in user as far as the
 *   policy goes: the environments backend admits only the target
 *   environment's approver groups, and never the requester.
 * - Platform-wide changes (creating environments, deploying straight into a
 *   protected environment, catalog locations, ingestion, template
 *   management) are admin-only.
 * - Anything else a signed-in user may do; plugins that need ownership rules
 *   for their own resources add them here as they arrive.
 *
 * @public
 */
export class PlatformPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  constructor(options: PlatformPermissionPolicyOptions) {
    this.adminGroups = new Set(options.adminGroups.map(g => g.toLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];

    if (claims.some(ref => this.adminGroups.has(ref.toLowerCase()))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY) &&
      isPermission(permission, pipelinesLogsReadPermission)
    ) {
      // Build logs may carry what a step printed by mistake: a read kept to
      // the component's owners.
      return user
        ? createCatalogConditionalDecision(
            permission,
            catalogConditions.isEntityOwner({ claims }),
          )
        : { result: AuthorizeResult.DENY };
    }
    if (permission.attributes.action === 'read') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      // Only reads are open to callers without a user identity.
      return { result: AuthorizeResult.DENY };
    }
    if (ADMIN_ONLY_PERMISSIONS.some(p => isPermission(permission, p))) {
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(permission, promotionApprovePermission)) {
      // Approvers are named per environment and checked by the environments
      // backend (and never the requester); the policy does not narrow them.
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_ENVIRONMENT)) {
      return createEnvironmentConditionalDecision(
        permission,
        environmentConditions.isEnvironmentOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
