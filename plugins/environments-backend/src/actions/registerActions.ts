import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import { componentRefOf, onBehalfOf } from '@internal/platform-node';
import {
  ENVIRONMENT_TIERS,
  EnvironmentsClient,
} from '@internal/plugin-environments-common';
import { deploymentOutput, environmentOutput } from './actionSchemas';

/** What the environments actions need. */
export interface EnvironmentsActionsOptions {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  discovery: DiscoveryService;
}

const componentRefHelp =
  'Entity ref of a catalog component, e.g. component:default/payments-api (payments-api alone also works)';

/**
 * Registers the Environment Manager's actions in the actions registry, where
 * the MCP actions backend offers them to AI agents.
 *
 * Each action calls the environments API over HTTP with a token on behalf of
 * the caller, so the permission checks, audit entries and deployment
 * triggers are exactly those of the caller's own requests; the plugin's
 * service identity, to which the permission framework grants everything, is
 * never used for them.
 */
export function registerEnvironmentsActions(
  options: EnvironmentsActionsOptions,
) {
  const { actionsRegistry, auth } = options;
  const client = new EnvironmentsClient({ discoveryApi: options.discovery });
  const { call } = onBehalfOf(auth, 'environments');

  actionsRegistry.register({
    name: 'list-environments',
    title: 'List environments',
    description: `Lists the deployment environments of the Environment Manager (e.g. dev, staging, production and preview environments), in promotion order.
Each has a tier, an owner group, a deploy target (a Kubernetes cluster and namespace pattern, or an external CD system), whether it is protected (reached by promotion with approval), and the locks in force (nothing is deployed while locked).
Use the names it returns as the environment of list-deployments, list-current-deployments and deploy-version.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          tier: z
            .enum(ENVIRONMENT_TIERS)
            .optional()
            .describe('Only environments of this tier'),
        }),
      output: z => z.object({ environments: z.array(environmentOutput(z)) }),
    },
    action: async ({ input, credentials }) => {
      const [environments, locks] = await call(credentials, token =>
        Promise.all([
          client.listEnvironments(token),
          client.listActiveLocks(token),
        ]),
      );
      return {
        output: {
          environments: environments
            .filter(env => !input.tier || env.tier === input.tier)
            .sort((a, b) => a.promotionOrder - b.promotionOrder)
            .map(env => ({
              ...env,
              locks: locks
                .filter(lock => lock.environment === env.name)
                .map(({ reason, createdBy, expiresAt }) => ({
                  reason,
                  createdBy,
                  expiresAt,
                })),
            })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-deployments',
    title: 'List deployments',
    description: `Lists deployments, newest first: the deployment history of a component, of an environment, or of a component in one environment; with neither, the latest deployments anywhere.
Each deployment names the component, environment, version, artifact (image and digest), status (pending, in_progress, succeeded, failed, rolled_back), who triggered it and when.
To see what currently runs in each environment, use list-current-deployments instead.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          component: z.string().optional().describe(componentRefHelp),
          environment: z
            .string()
            .optional()
            .describe('Name of an environment, as list-environments gives it'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('How many deployments at most; 20 by default'),
        }),
      output: z => z.object({ deployments: z.array(deploymentOutput(z)) }),
    },
    action: async ({ input, credentials }) => {
      const deployments = await call(credentials, token =>
        client.listDeployments(
          {
            component: input.component && componentRefOf(input.component),
            environment: input.environment,
            limit: input.limit ?? 20,
          },
          token,
        ),
      );
      return { output: { deployments } };
    },
  });

  actionsRegistry.register({
    name: 'list-current-deployments',
    title: 'What runs where',
    description: `Shows what currently runs where: for a component in every environment, for every component in an environment, or for one component in one environment.
Each entry has "live", the latest succeeded deployment (what runs there; absent if nothing has succeeded yet), and "latest", the most recent deployment, which may still be in flight or have failed.
At least one of component and environment is required.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          component: z.string().optional().describe(componentRefHelp),
          environment: z
            .string()
            .optional()
            .describe('Name of an environment, as list-environments gives it'),
        }),
      output: z =>
        z.object({
          current: z.array(
            z.object({
              component: z.string(),
              environment: z.string(),
              live: deploymentOutput(z)
                .optional()
                .describe('What runs there: the latest succeeded deployment'),
              latest: deploymentOutput(z).describe(
                'The most recent deployment, whatever its status',
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!input.component && !input.environment) {
        throw new InputError('Give a component, an environment, or both');
      }
      const current = await call(credentials, token =>
        client.listCurrentDeployments(
          {
            component: input.component && componentRefOf(input.component),
            environment: input.environment,
          },
          token,
        ),
      );
      return { output: { current } };
    },
  });

  actionsRegistry.register({
    name: 'get-deployment',
    title: 'Get a deployment',
    description: `Reads one deployment by its id, e.g. to follow one started with deploy-version until its status is succeeded or failed.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z.string().uuid().describe('Id of the deployment'),
        }),
      output: z => z.object({ deployment: deploymentOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      const deployment = await call(credentials, token =>
        client.getDeployment(input.id, token),
      );
      return { output: { deployment } };
    },
  });

  actionsRegistry.register({
    // Not 'deploy': the scaffolder offers registry actions as template actions
    // under the same ids, and environments:deploy is the scaffolder module's.
    name: 'deploy-version',
    title: 'Deploy a component version',
    description: `Deploys a version of a component (a built OCI image and its digest) into an environment, replacing what runs there. It acts as the calling user: a team may deploy the components it owns; protected environments (see list-environments) are reached by promotion with approval, and only platform admins deploy into them directly.
It is refused with a reason when the environment is locked, when another deployment of the component to that environment is still in flight, or when the environment or component does not exist.
It returns the new deployment at once, usually pending: follow it with get-deployment. Confirm with the user before deploying, above all to production.`,
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          component: z.string().describe(componentRefHelp),
          environment: z
            .string()
            .describe('Name of the environment, as list-environments gives it'),
          version: z
            .string()
            .describe('The version deployed, e.g. 1.4.0 or a commit SHA'),
          artifact: z.object({
            image: z
              .string()
              .describe(
                'OCI image reference without digest, e.g. registry.example.com/payments-api:1.4.0',
              ),
            digest: z
              .string()
              .describe('Digest of the image: sha256: and 64 hex digits'),
          }),
        }),
      output: z => z.object({ deployment: deploymentOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      // On behalf of a service the token would be this plugin's own, which
      // the permission framework lets do anything: deploys are for users.
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'The deploy-version action acts for a signed-in user; services call POST /api/environments/deployments themselves',
        );
      }
      const deployment = await call(credentials, token =>
        client.createDeployment(
          {
            component: componentRefOf(input.component),
            environment: input.environment,
            version: input.version,
            artifact: input.artifact,
          },
          token,
        ),
      );
      return { output: { deployment } };
    },
  });
}
