import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Environment,
  RESOURCE_TYPE_ENVIRONMENT,
} from '@internal/plugin-environments-common';
import { z } from 'zod';

// The environment resource type's permission contract lives here rather than
// in the backend, as the catalog's and the scaffolder's resource refs live in
// their -node packages: a permission policy (a permission backend module)
// builds its conditions from it without importing the environments backend,
// and the backend applies the same rules.

/**
 * Environments as a permission resource: looked up by name, queried by
 * owner.
 *
 * @public
 */
export const environmentResourceRef = createPermissionResourceRef<
  Environment,
  { owners: string[] }
>().with({ pluginId: 'environments', resourceType: RESOURCE_TYPE_ENVIRONMENT });

/**
 * True when one of the claims (the user and their groups) owns the
 * environment.
 *
 * @public
 */
export const isEnvironmentOwner = createPermissionRule({
  name: 'IS_ENVIRONMENT_OWNER',
  description:
    'Allow when the user or one of their groups owns the environment',
  resourceRef: environmentResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and the groups they belong to'),
  }),
  apply: (environment, { claims }) =>
    claims.some(c => c.toLowerCase() === environment.owner.toLowerCase()),
  toQuery: ({ claims }) => ({ owners: claims }),
});

/**
 * The rules of the environment resource type, which the environments
 * backend registers.
 *
 * @public
 */
export const environmentRules = { isEnvironmentOwner };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: environmentResourceRef,
  rules: environmentRules,
});

/**
 * Conditions a permission policy can use for environments.
 *
 * @public
 */
export const environmentConditions = conditions;

/**
 * Builds a conditional decision on environments for a permission policy.
 *
 * @public
 */
export const createEnvironmentConditionalDecision = createConditionalDecision;
