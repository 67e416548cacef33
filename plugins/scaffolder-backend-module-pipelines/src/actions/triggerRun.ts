import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  componentInputSchema,
  componentRefFromInput,
  pollUntil,
} from '@internal/platform-node';
import {
  FINAL_RUN_STATUSES,
  manualRunBranch,
  PipelineRunView,
} from '@internal/plugin-pipelines-common';
import { apiError, PipelinesApiOptions, pipelinesApiFor } from './pipelinesApi';
import { examples } from './triggerRun.examples';

const DEFAULT_TIMEOUT_SECONDS = 600;

/** What the action keeps of a run while it follows it. */
type RunSummary = Pick<
  PipelineRunView,
  'id' | 'number' | 'component' | 'branch' | 'status' | 'reason'
>;

/**
 * The `pipelines:trigger` action: starts a run of a component's pipeline as
 * the user who runs the template, and optionally waits until the run has
 * finished.
 *
 * @public
 */
export function createTriggerRunAction(
  options: PipelinesApiOptions & {
    /** The portal's address (`app.baseUrl`), for the run page's URL. */
    appBaseUrl: string;
    /** How often to look at a run while waiting, in ms; 5 s by default. */
    pollIntervalMs?: number;
  },
) {
  const { client, asUser } = pipelinesApiFor(options);
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const runUrlOf = (id: string) =>
    `${options.appBaseUrl.replace(
      /\/+$/,
      '',
    )}/pipelines/runs/${encodeURIComponent(id)}`;

  function waitForEnd(
    run: RunSummary,
    credentials: BackstageCredentials,
    timeoutSeconds: number,
    signal?: AbortSignal,
  ): Promise<RunSummary> {
    return pollUntil({
      initial: run,
      done: current => FINAL_RUN_STATUSES.includes(current.status),
      read: async current => {
        try {
          // A fresh token per look: a long wait outlives a single token.
          return await client.getRun(current.id, await asUser(credentials));
        } catch (error) {
          throw apiError(error, `Could not read run ${current.id}`);
        }
      },
      timeoutMs: timeoutSeconds * 1000,
      intervalMs: pollIntervalMs,
      signal,
      onTimeout: current =>
        new Error(
          `Run #${current.number} of ${current.component} (${
            current.id
          }) is still ${
            current.status
          } after ${timeoutSeconds} s; it goes on, and its page shows how: ${runUrlOf(
            current.id,
          )}`,
        ),
    });
  }

  return createTemplateAction({
    id: 'pipelines:trigger',
    description:
      "Starts a run of a component's pipeline (the tip of a branch, or a commit), as the user who runs the template; optionally waits until it has finished.",
    examples,
    schema: {
      input: {
        ...componentInputSchema,
        branch: z =>
          z
            .string()
            .optional()
            .describe(
              "The branch to build, e.g. main or refs/heads/main; the component's default branch by default",
            ),
        commit: z =>
          z
            .string()
            .optional()
            .describe(
              "A commit of that branch to build (40 hex digits); the branch's tip by default",
            ),
        waitForCompletion: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until the run has finished; the step fails if the run fails or is cancelled. False by default',
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
        runId: z => z.string().describe('Id of the run'),
        runNumber: z =>
          z.number().describe("Number of the run among the component's runs"),
        status: z =>
          z
            .string()
            .describe(
              'Its status when the step ended: queued or running without waiting, succeeded after waiting',
            ),
        runUrl: z => z.string().describe("The run's page in the portal"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const component = await componentRefFromInput(input, ctx.workspacePath);
      // Without one, no branch: the API builds the default branch.
      const branch = manualRunBranch(input.branch);
      const at = input.commit ? ` at ${input.commit}` : '';
      let what = `${component} on ${branch ?? 'its default branch'}${at}`;
      const credentials = await ctx.getInitiatorCredentials();
      // A resumed task follows the run it started instead of starting
      // another one.
      const started = await ctx.checkpoint({
        // No branch name has a space in it.
        key: `pipelines.trigger.${component}.${branch ?? 'default branch'}.${
          input.commit ?? 'tip'
        }`,
        fn: async (): Promise<RunSummary> => {
          try {
            const run = await client.triggerRun(
              {
                component,
                ...(branch ? { branch } : {}),
                ...(input.commit ? { commit: input.commit } : {}),
              },
              await asUser(credentials),
            );
            return {
              id: run.id,
              number: run.number,
              component: run.component,
              ...(run.branch ? { branch: run.branch } : {}),
              status: run.status,
            };
          } catch (error) {
            throw apiError(error, `Could not start a run of ${what}`);
          }
        },
      });
      if (started.branch) what = `${component} on ${started.branch}${at}`;
      const runUrl = runUrlOf(started.id);
      ctx.logger.info(`Started run #${started.number} of ${what}: ${runUrl}`);
      ctx.output('runId', started.id);
      ctx.output('runNumber', started.number);
      ctx.output('runUrl', runUrl);
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
      if (finished.status !== 'succeeded') {
        throw new Error(
          `Run #${finished.number} of ${what} ${finished.status}${
            finished.reason ? `: ${finished.reason}` : ''
          } (${runUrl})`,
        );
      }
      ctx.logger.info(`Run #${finished.number} of ${what} succeeded`);
    },
  });
}
