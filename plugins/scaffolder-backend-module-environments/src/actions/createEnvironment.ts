import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ENVIRONMENT_TIERS,
  EnvironmentInput,
} from '@internal/plugin-environments-common';
import {
  apiError,
  EnvironmentsApiOptions,
  environmentsApiFor,
} from './environmentsApi';
import { examples } from './createEnvironment.examples';

/**
 * The `environments:create` action: creates an environment as the user who
 * runs the template. The environments backend decides whether they may
 * (platform admins, in the platform policy).
 *
 * @public
 */
export function createEnvironmentAction(options: EnvironmentsApiOptions) {
  const { client, asUser } = environmentsApiFor(options);
  return createTemplateAction({
    id: 'environments:create',
    description:
      'Creates an environment in the Environment Manager, as the user who runs the template.',
    examples,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Unique name: lowercase letters, digits and dashes, at most 63 characters, e.g. qa-eu',
            ),
        title: z => z.string().optional().describe('Display name'),
        description: z =>
          z.string().optional().describe('What the environment is for'),
        tier: z =>
          z
            .enum(ENVIRONMENT_TIERS)
            .describe('development, staging, production or preview'),
        promotionOrder: z =>
          z
            .number()
            .int()
            .describe(
              'Position in the promotion path (0-10000): versions move from a lower to the next higher order',
            ),
        owner: z =>
          z
            .string()
            .describe(
              'Entity ref of the owning group, e.g. group:default/team-payments',
            ),
        target: z =>
          z
            .discriminatedUnion('type', [
              z.object({
                type: z.literal('kubernetes'),
                cluster: z
                  .string()
                  .describe(
                    'A cluster configured in environments.kubernetes.clusters',
                  ),
                namespacePattern: z
                  .string()
                  .describe(
                    'Namespace per component; {component} stands for its name, {namespace} for its catalog namespace, {environment} for the environment name, e.g. {component}-qa',
                  ),
              }),
              z.object({
                type: z.literal('external'),
                system: z
                  .string()
                  .optional()
                  .describe('The CD system that deploys, e.g. argocd'),
              }),
            ])
            .describe('Where deployments go'),
        protected: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Protected environments are reached by promotion with approval only',
            ),
        approvers: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Group refs whose members approve promotions into a protected environment; the owner when absent',
            ),
      },
      output: {
        name: z => z.string().describe('Name of the environment'),
        tier: z => z.string().describe('Its tier'),
        owner: z => z.string().describe('Entity ref of its owner group'),
      },
    },
    async handler(ctx) {
      const input: EnvironmentInput = {
        name: ctx.input.name,
        title: ctx.input.title,
        description: ctx.input.description,
        tier: ctx.input.tier,
        promotionOrder: ctx.input.promotionOrder,
        owner: ctx.input.owner,
        target: ctx.input.target,
        protected: ctx.input.protected ?? false,
        approvers: ctx.input.approvers,
      };
      const credentials = await ctx.getInitiatorCredentials();
      // A resumed task must not create it a second time (and fail on 409).
      const created = await ctx.checkpoint({
        key: `environments.create.${input.name}`,
        fn: async () => {
          try {
            const environment = await client.createEnvironment(
              input,
              await asUser(credentials),
            );
            return {
              name: environment.name,
              tier: environment.tier,
              owner: environment.owner,
            };
          } catch (error) {
            throw apiError(
              error,
              `Could not create environment '${input.name}'`,
            );
          }
        },
      });
      ctx.logger.info(
        `Created environment '${created.name}' (${created.tier}), owned by ${created.owner}`,
      );
      ctx.output('name', created.name);
      ctx.output('tier', created.tier);
      ctx.output('owner', created.owner);
    },
  });
}
