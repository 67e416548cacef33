import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Deployment,
  DeploymentRequest,
  TERMINAL_DEPLOYMENT_STATUSES,
} from '@internal/plugin-environments-common';
import {
  componentInputSchema,
  componentRefFromInput,
  pollUntil,
} from '@internal/platform-node';
import {
  apiError,
  EnvironmentsApiOptions,
  environmentsApiFor,
} from './environmentsApi';
import { examples } from './deploy.examples';

const DEFAULT_TIMEOUT_SECONDS = 600;

/**
 * The `environments:deploy` action: deploys a component version into an
 * environment as the user who runs the template, and optionally waits until
 * the deployment has finished.
 *
 * @public
 */
export function createDeployAction(
  options: EnvironmentsApiOptions & {
    /** How often to look at a deployment while waiting, in ms; 5 s by default. */
    pollIntervalMs?: number;
  },
) {
  const { client, asUser } = environmentsApiFor(options);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;

  function waitForEnd(
    deployment: Deployment,
    credentials: BackstageCredentials,
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<Deployment> {
    return pollUntil({
      initial: deployment,
      done: current => TERMINAL_DEPLOYMENT_STATUSES.includes(current.status),
      read: async current => {
        try {
          // A fresh token per look: a long wait outlives a single token.
          return await client.getDeployment(
            current.id,
            await asUser(credentials),
          );
        } catch (error) {
          throw apiError(error, `Could not read deployment ${current.id}`);
        }
      },
      timeoutMs: timeoutSeconds * 1000,
      intervalMs: pollIntervalMs,
      signal,
      onTimeout: current =>
        new Error(
          `Deployment ${current.id} is still ${current.status} after ${timeoutSeconds} s; it goes on, and its status shows on the component's Environments tab`,
        ),
    });
  }

  return createTemplateAction({
    id: 'environments:deploy',
    description:
      'Deploys a component version (an OCI image and its digest) into an environment, as the user who runs the template; optionally waits until it has finished.',
    examples,
    schema: {
      input: {
        ...componentInputSchema,
        environment: z =>
          z.string().describe('Name of the environment, e.g. dev'),
        version: z =>
          z
            .string()
            .describe('The version deployed, e.g. 1.4.0 or a commit SHA'),
        artifact: z =>
          z
            .object({
              image: z
                .string()
                .describe(
                  'OCI image reference without digest, e.g. registry.example.com/payments-api:1.4.0',
                ),
              digest: z
                .string()
                .describe('The image digest: sha256: and 64 hex digits'),
            })
            .describe('The built artifact to deploy'),
        waitForCompletion: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until the deployment has succeeded or failed; the step fails if it fails. False by default',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe(
              `How long to wait with waitForCompletion, in seconds; ${DEFAULT_TIMEOUT_SECONDS} by default`,
            ),
      },
      output: {
        deploymentId: z => z.string().describe('Id of the deployment'),
        status: z =>
          z
            .string()
            .describe(
              'Its status when the step ended: pending or in_progress without waiting, succeeded after waiting',
            ),
        component: z => z.string().describe('Entity ref of the component'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const component = await componentRefFromInput(input, ctx.workspacePath);
      const request: DeploymentRequest = {
        component,
        environment: input.environment,
        version: input.version,
        artifact: {
          image: input.artifact.image,
          digest: input.artifact.digest,
        },
      };
      const what = `${component} ${request.version} to '${request.environment}'`;
      const credentials = await ctx.getInitiatorCredentials();
      // A resumed task follows the deployment it started instead of
      // deploying again.
      const started = await ctx.checkpoint({
        key: `environments.deploy.${component}.${request.environment}.${request.version}.${request.artifact.digest}`,
        fn: async (): Promise<Deployment> => {
          try {
            return await client.createDeployment(
              request,
              await asUser(credentials),
            );
          } catch (error) {
            throw apiError(error, `Could not deploy ${what}`);
          }
        },
      });
      ctx.logger.info(
        `Deploying ${what}: deployment ${started.id} by the ${started.deployer} deployer`,
      );
      ctx.output('deploymentId', started.id);
      ctx.output('component', component);
      ctx.output('status', started.status);
      if (!input.waitForCompletion) {
        return;
      }

      const finished = await waitForEnd(
        started,
        credentials,
        input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        ctx.signal,
      );
      ctx.output('status', finished.status);
      if (finished.status === 'failed') {
        throw new Error(
          `Deployment ${finished.id} of ${what} failed${
            finished.message ? `: ${finished.message}` : ''
          }`,
        );
      }
      ctx.logger.info(`Deployment ${finished.id} ${finished.status}`);
    },
  });
}
