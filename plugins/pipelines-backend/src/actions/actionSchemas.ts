import type { z as zod } from 'zod/v3';
import {
  DELIVERY_STATUSES,
  RunStatus,
  StepStatus,
} from '@internal/plugin-pipelines-common';

// Output schemas of the actions. The actions registry parses outputs with
// them and drops what they do not name, so they list every field an agent
// should see.

/** Where a run can be, as the input filter and the output name it. */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly RunStatus[];

const STEP_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const satisfies readonly StepStatus[];

/** A step run of a run's current attempt. */
const stepOutput = (z: typeof zod) =>
  z.object({
    stage: z.string(),
    step: z
      .string()
      .describe(
        'Name of the step; .checkout is the checkout of the repository. Use it with get-pipeline-step-logs',
      ),
    status: z.enum(STEP_STATUSES),
    tries: z.number().describe('How often it was started (1 + retries used)'),
    exitCode: z.number().optional(),
    reason: z.string().optional().describe('Why it failed or was skipped'),
    outputs: z
      .record(z.string())
      .describe('What the step wrote to its output file'),
    reused: z
      .boolean()
      .describe(
        'Taken over from the attempt before by a re-run of failed steps',
      ),
    waitingFor: z
      .string()
      .optional()
      .describe(
        'What the running step waits for, e.g. a deploy stage for an external CD system to report to the endpoint it names',
      ),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
  });

/** An artifact a stage of the run produced. */
const artifactOutput = (z: typeof zod) =>
  z.object({
    type: z.literal('image'),
    stage: z.string(),
    attempt: z.number(),
    image: z.string().describe('Reference pushed, registry/repository:tag'),
    tags: z.array(z.string()),
    digest: z.string().describe('sha256: digest the registry gave it'),
    createdAt: z.string(),
  });

/** A run, as the actions return it; `steps` and `artifacts` only when read alone. */
export const runOutput = (z: typeof zod) =>
  z.object({
    id: z.string().describe('Id of the run; use it in get-pipeline-run'),
    component: z.string().describe('Entity ref of the component'),
    number: z.number().describe("Counts the component's runs, from 1"),
    repository: z.string().optional(),
    ref: z.string().optional(),
    branch: z.string().optional(),
    commit: z.string().optional(),
    trigger: z
      .object({ type: z.string() })
      .passthrough()
      .describe(
        'Why the run exists: push, tag, pull_request (from a webhook delivery), manual (with requestedBy), schedule or rerun',
      ),
    status: z.enum(RUN_STATUSES),
    reason: z
      .string()
      .optional()
      .describe('Why it failed or was cancelled, e.g. which step failed how'),
    attempt: z.number().describe('1, then 2 after the first re-run, ...'),
    definitionSource: z
      .enum(['repository', 'default'])
      .optional()
      .describe(
        "Where the pipeline came from: the repository's .platform/pipeline.yaml, or the default of the component's type",
      ),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    steps: z
      .array(stepOutput(z))
      .optional()
      .describe('The step runs of the current attempt'),
    artifacts: z
      .array(artifactOutput(z))
      .optional()
      .describe('What the stages of every attempt produced, oldest first'),
  });

/** A webhook delivery, as the actions return it. */
export const deliveryOutput = (z: typeof zod) =>
  z.object({
    id: z.number(),
    provider: z.enum(['github', 'gitlab']),
    deliveryId: z.string().describe("The provider's delivery id"),
    event: z.string().describe('push, pull_request, merge_request, ...'),
    action: z.string().optional(),
    status: z
      .enum(DELIVERY_STATUSES as unknown as [string, ...string[]])
      .describe(
        'matched (a trigger for known components), unmatched (no component names the repository), ignored (starts nothing) or rejected (malformed)',
      ),
    reason: z
      .string()
      .optional()
      .describe('Why unmatched, ignored or rejected'),
    repository: z
      .object({
        slug: z.string(),
        url: z.string().optional(),
        defaultBranch: z.string().optional(),
      })
      .optional(),
    ref: z.string().optional(),
    commit: z.string().optional(),
    author: z.string().optional(),
    sender: z.string().optional(),
    components: z
      .array(z.string())
      .describe('Entity refs of the components the repository belongs to'),
    trigger: z
      .object({
        type: z.enum(['push', 'tag', 'pull_request']),
        commit: z.string(),
        branch: z.string().optional().describe('push: the branch pushed to'),
        before: z.string().optional(),
        tag: z.string().optional(),
        action: z
          .string()
          .optional()
          .describe('pull_request: opened, synchronize, reopened or closed'),
        number: z.number().optional(),
        headBranch: z.string().optional(),
        baseBranch: z.string().optional(),
        merged: z.boolean().optional(),
        title: z.string().optional(),
        url: z.string().optional(),
      })
      .optional()
      .describe('The trigger it implies: a push, a tag or a pull request'),
    receivedAt: z.string(),
    redeliveries: z.number().describe('How often the provider sent it again'),
    lastRedeliveredAt: z.string().optional(),
    processedAt: z.string().optional(),
  });
