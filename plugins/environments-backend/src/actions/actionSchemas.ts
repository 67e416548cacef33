import type { z as zod } from 'zod/v3';
import {
  DEPLOYMENT_STATUSES,
  ENVIRONMENT_TIERS,
} from '@internal/plugin-environments-common';

// Output schemas of the actions. The actions registry parses outputs with
// them and drops what they do not name, so they list every field an agent
// should see.

/** An environment, as the actions return it. */
export const environmentOutput = (z: typeof zod) =>
  z.object({
    name: z.string().describe('Unique name; use it in the other actions'),
    title: z.string().optional(),
    description: z.string().optional(),
    tier: z.enum(ENVIRONMENT_TIERS),
    promotionOrder: z
      .number()
      .describe(
        'Position in the promotion path: versions move from a lower to the next higher order',
      ),
    owner: z.string().describe('Entity ref of the owning group'),
    target: z
      .object({
        type: z.enum(['kubernetes', 'external']),
        cluster: z.string().optional(),
        namespacePattern: z.string().optional(),
        system: z.string().optional(),
      })
      .describe('Where deployments go'),
    protected: z
      .boolean()
      .describe(
        'Protected environments cannot be deployed to directly except by platform admins; versions reach them by promotion with approval',
      ),
    approvers: z.array(z.string()).optional(),
    preview: z
      .object({
        component: z.string().optional(),
        expiresAt: z
          .string()
          .optional()
          .describe('When it is torn down unless there is activity'),
      })
      .passthrough()
      .optional()
      .describe(
        'Set on preview environments made for a pull request (with the pull request)',
      ),
    locks: z
      .array(
        z.object({
          reason: z.string(),
          createdBy: z.string(),
          expiresAt: z.string().optional(),
        }),
      )
      .describe('Locks in force: while any is, nothing is deployed here'),
  });

/** A deployment, as the actions return it. */
export const deploymentOutput = (z: typeof zod) =>
  z.object({
    id: z.string(),
    component: z.string().describe('Entity ref of the component'),
    environment: z.string(),
    version: z.string(),
    artifact: z.object({ image: z.string(), digest: z.string() }),
    status: z.enum(DEPLOYMENT_STATUSES),
    message: z
      .string()
      .optional()
      .describe('Why it failed, or what the deployer last reported'),
    trigger: z
      .object({
        type: z.enum(['user', 'service', 'pipeline']),
        user: z.string().optional(),
        service: z.string().optional(),
        pipelineRun: z.string().optional(),
      })
      .describe('Who or what asked for it'),
    deployer: z.string(),
    previousDeploymentId: z.string().optional(),
    rollbackOf: z.string().optional(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
  });
