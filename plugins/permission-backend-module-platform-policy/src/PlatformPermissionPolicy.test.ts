import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { taskCancelPermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  environmentSecretsManagePermission,
  promotionApprovePermission,
  promotionCreatePermission,
} from '@internal/plugin-environments-common';
import {
  pipelinesLogsReadPermission,
  pipelinesRunReadPermission,
  pipelinesRunTriggerPermission,
} from '@internal/plugin-pipelines-common';
import { PlatformPermissionPolicy } from './PlatformPermissionPolicy';

const policy = new PlatformPermissionPolicy({
  adminGroups: ['group:default/platform-admins'],
});

function userWith(userEntityRef: string, ownershipEntityRefs: string[]) {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
  };
}

const admin = userWith('user:default/ada', [
  'user:default/ada',
  'group:default/platform-admins',
]);
const developer = userWith('user:default/dev', [
  'user:default/dev',
  'group:default/team-payments',
]);

describe('PlatformPermissionPolicy', () => {
  it('allows admins everything, whatever the permission', async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogLocationDeletePermission,
      createPermission({ name: 'x.y', attributes: { action: 'delete' } }),
    ]) {
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('matches admin groups without regard to case', async () => {
    const shouting = userWith('user:default/x', [
      'group:default/Platform-Admins',
    ]);
    await expect(
      policy.handle({ permission: catalogLocationDeletePermission }, shouting),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets everyone read', async () => {
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets everyone see pipeline runs, and only owners trigger them and read their logs', async () => {
    await expect(
      policy.handle({ permission: pipelinesRunReadPermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    const ownersOnly = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: developer.info.ownershipEntityRefs },
      },
    };
    for (const permission of [
      pipelinesLogsReadPermission,
      pipelinesRunTriggerPermission,
    ]) {
      await expect(policy.handle({ permission }, developer)).resolves.toEqual(
        ownersOnly,
      );
    }
    await expect(
      policy.handle({ permission: pipelinesLogsReadPermission }, admin),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: pipelinesLogsReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('makes entity changes conditional on the ownership claims', async () => {
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }, developer),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: developer.info.ownershipEntityRefs },
      },
    });
  });

  it('lets a scaffolder task be cancelled only by whoever started it', async () => {
    await expect(
      policy.handle({ permission: taskCancelPermission }, developer),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_TASK_OWNER',
        params: { createdBy: ['user:default/dev'] },
      },
    });
  });

  it('lets the owner team manage the secrets of its environment, and admins all', async () => {
    await expect(
      policy.handle(
        { permission: environmentSecretsManagePermission },
        developer,
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'environments',
      resourceType: 'environment',
      conditions: {
        rule: 'IS_ENVIRONMENT_OWNER',
        resourceType: 'environment',
        params: { claims: developer.info.ownershipEntityRefs },
      },
    });
    await expect(
      policy.handle({ permission: environmentSecretsManagePermission }, admin),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: environmentSecretsManagePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets owners promote what they own, and leaves approvals to the environments backend', async () => {
    await expect(
      policy.handle({ permission: promotionCreatePermission }, developer),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      resourceType: 'catalog-entity',
      conditions: { rule: 'IS_ENTITY_OWNER' },
    });
    await expect(
      policy.handle({ permission: promotionApprovePermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: promotionApprovePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('keeps platform-wide changes for admins', async () => {
    await expect(
      policy.handle({ permission: catalogLocationDeletePermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies changes to callers without a user identity', async () => {
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
