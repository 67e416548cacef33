import { PullRequestAction } from '@internal/plugin-pipelines-common';
import { z } from 'zod';
import {
  commitId,
  DeliveryFacts,
  describeIssues,
  isNullCommit,
  pushFacts,
} from './DeliveryFacts';

const repository = z.object({
  full_name: z.string().min(1),
  html_url: z.string().optional(),
  default_branch: z.string().optional(),
});

const push = z.object({
  ref: z.string().min(1),
  before: z.string().optional(),
  after: z.string().regex(/^[0-9a-f]+$/, { message: 'not a commit id' }),
  deleted: z.boolean().optional(),
  repository,
  head_commit: z
    .object({
      author: z
        .object({
          name: z.string().optional(),
          username: z.string().optional(),
        })
        .optional(),
    })
    .nullable()
    .optional(),
  pusher: z.object({ name: z.string().optional() }).optional(),
  sender: z.object({ login: z.string() }).optional(),
});

const pullRequest = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.object({
    head: z.object({ ref: z.string().min(1), sha: commitId }),
    base: z.object({ ref: z.string().min(1) }),
    merged: z.boolean().nullable().optional(),
    title: z.string().optional(),
    html_url: z.string().optional(),
    user: z.object({ login: z.string() }).nullable().optional(),
  }),
  repository,
  sender: z.object({ login: z.string() }).optional(),
});

const PULL_REQUEST_ACTIONS: PullRequestAction[] = [
  'opened',
  'synchronize',
  'reopened',
  'closed',
];

function repositoryOf(r: z.infer<typeof repository>) {
  return {
    slug: r.full_name,
    ...(r.html_url ? { url: r.html_url } : {}),
    ...(r.default_branch ? { defaultBranch: r.default_branch } : {}),
  };
}

/**
 * What a GitHub delivery says: `push` (a branch or a tag) and
 * `pull_request` (opened, synchronize, reopened, closed) are triggers; a
 * `ping` and every other event are ignored.
 */
export function readGithubPayload(
  event: string | undefined,
  payload: unknown,
): DeliveryFacts {
  if (!event) {
    return {
      event: 'unknown',
      outcome: 'rejected',
      reason: 'the request has no X-GitHub-Event header',
    };
  }
  if (event === 'ping') {
    return {
      event,
      ...looseRepository(payload),
      outcome: 'ignored',
      reason: 'a ping: GitHub checks that the webhook is reachable',
    };
  }
  if (event === 'push') {
    const parsed = push.safeParse(payload);
    if (!parsed.success) {
      return {
        event,
        outcome: 'rejected',
        reason: describeIssues(parsed.error),
      };
    }
    const p = parsed.data;
    const facts = {
      event,
      repository: repositoryOf(p.repository),
      ref: p.ref,
      commit: p.after,
      author:
        p.head_commit?.author?.username ??
        p.head_commit?.author?.name ??
        p.pusher?.name,
      sender: p.sender?.login,
    };
    return pushFacts(facts, {
      commit: p.after,
      commitField: 'after',
      before: p.before,
      deleted: Boolean(p.deleted) || isNullCommit(p.after),
    });
  }
  if (event === 'pull_request') {
    const parsed = pullRequest.safeParse(payload);
    if (!parsed.success) {
      return {
        event,
        outcome: 'rejected',
        reason: describeIssues(parsed.error),
      };
    }
    const p = parsed.data;
    const pr = p.pull_request;
    const facts = {
      event,
      action: p.action,
      repository: repositoryOf(p.repository),
      // Fetchable from the base repository, also for pull requests from forks.
      ref: `refs/pull/${p.number}/head`,
      commit: pr.head.sha,
      author: pr.user?.login ?? p.sender?.login,
      sender: p.sender?.login,
    };
    const action = PULL_REQUEST_ACTIONS.find(a => a === p.action);
    if (!action) {
      return {
        ...facts,
        outcome: 'ignored',
        reason: `pull request action '${p.action}' starts nothing`,
      };
    }
    return {
      ...facts,
      outcome: 'trigger',
      trigger: {
        type: 'pull_request',
        action,
        number: p.number,
        headBranch: pr.head.ref,
        commit: pr.head.sha,
        baseBranch: pr.base.ref,
        ...(action === 'closed' ? { merged: pr.merged === true } : {}),
        ...(pr.title ? { title: pr.title } : {}),
        ...(pr.html_url ? { url: pr.html_url } : {}),
      },
    };
  }
  return {
    event,
    ...looseRepository(payload),
    outcome: 'ignored',
    reason: `GitHub event '${event}' does not trigger pipelines`,
  };
}

/** The repository of an event this plugin does not read, when it names one. */
function looseRepository(payload: unknown) {
  const parsed = z.object({ repository: repository }).safeParse(payload);
  return parsed.success
    ? { repository: repositoryOf(parsed.data.repository) }
    : {};
}
