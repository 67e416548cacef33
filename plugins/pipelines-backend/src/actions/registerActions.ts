import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { componentRefOf, onBehalfOf } from '@internal/platform-node';
import {
  DELIVERY_STATUSES,
  DeliveryStatus,
  manualRunBranch,
  PipelinesClient,
} from '@internal/plugin-pipelines-common';
import { deliveryOutput, RUN_STATUSES, runOutput } from './actionSchemas';
import { readStepLogTail } from './stepLogTail';

/** What the pipelines actions need. */
export interface PipelinesActionsOptions {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  discovery: DiscoveryService;
}

const componentRefHelp =
  'Entity ref of a catalog component, e.g. component:default/payments-api (payments-api alone also works)';

/** How many log chunks to ask for at a time while reading a step's log. */
const LOG_PAGE = 5000;

/**
 * Registers the Pipeline Engine's actions in the actions registry, where the
 * MCP actions backend offers them to AI agents.
 *
 * Each action calls the pipelines API over HTTP with a token on behalf of the
 * caller, so the permission checks, audit entries and run triggers are
 * exactly those of the caller's own requests (the routes' own code); the
 * plugin's service identity, to which the permission framework grants
 * everything, is never used for them.
 */
export function registerPipelinesActions(options: PipelinesActionsOptions) {
  const { actionsRegistry, auth } = options;
  const client = new PipelinesClient({ discoveryApi: options.discovery });
  const { call } = onBehalfOf(auth, 'pipelines');

  actionsRegistry.register({
    name: 'list-pipeline-runs',
    title: 'List pipeline runs',
    description: `Lists pipeline runs (CI builds) of the Pipeline Engine, newest first: of a component, or the latest anywhere; optionally only those of one status or one branch.
Each run names the component, its number among the component's runs, the branch and commit, what triggered it (a push, tag or pull request webhook, a manual trigger with who asked, a schedule, a re-run), its status (queued, running, succeeded, failed, cancelled) and why it failed.
Only runs of components the caller may read are listed. For a run's steps and artifacts use get-pipeline-run; for a step's output use get-pipeline-step-logs.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          component: z.string().optional().describe(componentRefHelp),
          status: z
            .enum(RUN_STATUSES)
            .optional()
            .describe('Only runs with this status'),
          branch: z
            .string()
            .optional()
            .describe('Only runs of this branch, e.g. main'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('How many runs at most; 20 by default'),
        }),
      output: z => z.object({ runs: z.array(runOutput(z)) }),
    },
    action: async ({ input, credentials }) => {
      const { items } = await call(credentials, token =>
        client.listRuns(
          {
            component: input.component && componentRefOf(input.component),
            status: input.status,
            branch: input.branch,
            limit: input.limit ?? 20,
          },
          token,
        ),
      );
      return { output: { runs: items } };
    },
  });

  actionsRegistry.register({
    name: 'get-pipeline-run',
    title: 'Get a pipeline run',
    description: `Reads one pipeline run by its id, with the steps of its current attempt (stage, step, status, exit code, why it failed, outputs) and the artifacts it produced (container images with their digests).
Use it to follow a run started with trigger-pipeline-run until its status is succeeded, failed or cancelled, or to find which step of a failed run failed; then read that step's log with get-pipeline-step-logs.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          id: z.string().uuid().describe('Id of the run'),
        }),
      output: z => z.object({ run: runOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      const run = await call(credentials, token =>
        client.getRun(input.id, token),
      );
      return { output: { run } };
    },
  });

  actionsRegistry.register({
    name: 'get-pipeline-step-logs',
    title: 'Read a pipeline step log',
    description: `Reads the log of one step of a pipeline run: the last lines it printed (stdout and stderr as they came), e.g. to see why a step failed.
Step names come from get-pipeline-run (.checkout is the checkout of the repository). "complete" is false while the step still runs; ask again for more.
Logs may hold what a build printed by mistake, so they need their own permission (pipelines.logs.read, which the component's owners have).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          runId: z.string().uuid().describe('Id of the run'),
          step: z.string().min(1).describe('Name of the step'),
          attempt: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe("The run's attempt; its current one by default"),
          tailLines: z
            .number()
            .int()
            .min(1)
            .max(5000)
            .optional()
            .describe('How many of the last lines; 200 by default'),
        }),
      output: z =>
        z.object({
          text: z.string().describe('The last lines of the log'),
          lines: z.number().describe('How many lines text holds'),
          totalLines: z.number().describe('How many lines the log has'),
          complete: z
            .boolean()
            .describe('True once the step has ended and nothing more comes'),
        }),
    },
    action: async ({ input, credentials }) => {
      const tail = await readStepLogTail({
        tailLines: input.tailLines ?? 200,
        pageSize: LOG_PAGE,
        readPage: (after, limit) =>
          call(credentials, token =>
            client.getStepLogs(
              {
                runId: input.runId,
                step: input.step,
                attempt: input.attempt,
                after,
                limit,
              },
              token,
            ),
          ),
      });
      return { output: { ...tail } };
    },
  });

  actionsRegistry.register({
    name: 'trigger-pipeline-run',
    title: 'Start a pipeline run',
    description: `Starts a run of a component's pipeline (a CI build of its repository) on a branch: its tip, or a given commit of it. It acts as the calling user, who needs pipelines.run.trigger on the component (its owner team may); the run's trigger names them.
The repository is the component's (its source location); without a ref, the component's default branch is built (refused with a reason when it is not known: then ask the user for the branch). The pipeline must allow manual runs. It is refused with a reason when the component is unknown or names no repository.
It returns the new run at once, queued: follow it with get-pipeline-run. A run builds and may push images or deploy as its pipeline says, so confirm with the user first.`,
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          component: z.string().describe(componentRefHelp),
          ref: z
            .string()
            .optional()
            .describe(
              "The branch to build, e.g. main or refs/heads/main; the component's default branch by default",
            ),
          commit: z
            .string()
            .regex(/^[0-9a-f]{40}$/)
            .optional()
            .describe(
              'A commit of that branch (40 hex digits); its tip by default',
            ),
        }),
      output: z => z.object({ run: runOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      // On behalf of a service the token would be this plugin's own, which
      // the permission framework lets do anything: triggers are for users.
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'The trigger-pipeline-run action acts for a signed-in user; services call POST /api/pipelines/runs themselves',
        );
      }
      // Without a ref, no branch: the API builds the default branch.
      const branch = manualRunBranch(input.ref);
      const run = await call(credentials, token =>
        client.triggerRun(
          {
            component: componentRefOf(input.component),
            ...(branch ? { branch } : {}),
            ...(input.commit ? { commit: input.commit } : {}),
          },
          token,
        ),
      );
      return { output: { run } };
    },
  });

  actionsRegistry.register({
    name: 'list-webhook-deliveries',
    title: 'List webhook deliveries',
    description: `Lists the GitHub and GitLab webhook deliveries the Pipeline Engine received, newest first: of a component, of a repository, or all; optionally only those of one status.
Each names the event (push, pull_request, merge_request, ...), repository, ref, commit and author, the components it was mapped to, the trigger it implies, and its status: matched (it starts runs), unmatched (no component names the repository; the reason says which annotation was looked for), ignored (starts nothing, with the reason) or rejected (malformed). Use it to find out why a push started no run.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          component: z.string().optional().describe(componentRefHelp),
          repository: z
            .string()
            .optional()
            .describe('owner/name (GitHub) or group/project (GitLab)'),
          status: z
            .enum(
              DELIVERY_STATUSES as unknown as [
                DeliveryStatus,
                ...DeliveryStatus[],
              ],
            )
            .optional()
            .describe('Only deliveries with this status'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('How many deliveries at most; 20 by default'),
          cursor: z
            .string()
            .optional()
            .describe('nextCursor of an earlier answer, for the next page'),
        }),
      output: z =>
        z.object({
          deliveries: z.array(deliveryOutput(z)),
          nextCursor: z
            .string()
            .optional()
            .describe(
              'Give it as cursor for the next page; absent on the last',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const page = await call(credentials, token =>
        client.listDeliveries(
          {
            component: input.component && componentRefOf(input.component),
            repository: input.repository,
            status: input.status,
            limit: input.limit ?? 20,
            cursor: input.cursor,
          },
          token,
        ),
      );
      return {
        output: {
          deliveries: page.items,
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
  });
}
