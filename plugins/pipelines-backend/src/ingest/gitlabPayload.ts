import { PullRequestAction } from '@internal/plugin-pipelines-common';
import { z } from 'zod';
import {
  commitId,
  DeliveryFacts,
  describeIssues,
  isNullCommit,
  pushFacts,
} from './DeliveryFacts';

const project = z.object({
  path_with_namespace: z.string().min(1),
  web_url: z.string().optional(),
  default_branch: z.string().nullable().optional(),
});

const push = z.object({
  ref: z.string().min(1),
  before: z.string().optional(),
  after: z.string().regex(/^[0-9a-f]+$/, { message: 'not a commit id' }),
  checkout_sha: z.string().nullable().optional(),
  user_username: z.string().optional(),
  user_name: z.string().optional(),
  project,
  commits: z
    .array(
      z.object({
        id: z.string(),
        author: z.object({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const mergeRequest = z.object({
  user: z.object({ username: z.string() }).optional(),
  project,
  object_attributes: z.object({
    iid: z.number().int().positive(),
    action: z.string().optional(),
    source_branch: z.string().min(1),
    target_branch: z.string().min(1),
    last_commit: z.object({ id: commitId }),
    oldrev: z.string().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
  }),
});

function repositoryOf(p: z.infer<typeof project>) {
  return {
    slug: p.path_with_namespace,
    ...(p.web_url ? { url: p.web_url } : {}),
    ...(p.default_branch ? { defaultBranch: p.default_branch } : {}),
  };
}

/** GitLab's merge request actions, as pull request actions. */
function pullRequestAction(
  action: string | undefined,
  oldrev: string | undefined,
): { action: PullRequestAction; merged?: boolean } | string {
  switch (action) {
    case 'open':
      return { action: 'opened' };
    case 'reopen':
      return { action: 'reopened' };
    case 'update':
      // Any change to a merge request is an update; only new commits carry oldrev.
      return oldrev
        ? { action: 'synchronize' }
        : 'merge request updated without new commits';
    case 'close':
      return { action: 'closed', merged: false };
    case 'merge':
      return { action: 'closed', merged: true };
    default:
      return `merge request action '${action ?? '(none)'}' starts nothing`;
  }
}

/**
 * What a GitLab delivery says: `push`, `tag_push` and `merge_request` (open,
 * update with new commits, reopen, close, merge) are triggers; other object
 * kinds are ignored. The event is the payload's `object_kind`, which the
 * `X-Gitlab-Event` header only names in words.
 */
export function readGitlabPayload(
  header: string | undefined,
  payload: unknown,
): DeliveryFacts {
  const kind = z.object({ object_kind: z.string().min(1) }).safeParse(payload);
  if (!kind.success) {
    return {
      event: header ?? 'unknown',
      outcome: 'rejected',
      reason: `the payload has no object_kind${
        header ? ` (X-Gitlab-Event: ${header})` : ''
      }`,
    };
  }
  const event = kind.data.object_kind;
  if (event === 'push' || event === 'tag_push') {
    const parsed = push.safeParse(payload);
    if (!parsed.success) {
      return {
        event,
        outcome: 'rejected',
        reason: describeIssues(parsed.error),
      };
    }
    const p = parsed.data;
    const commit = p.checkout_sha ?? p.after;
    const facts = {
      event,
      repository: repositoryOf(p.project),
      ref: p.ref,
      commit,
      author:
        p.commits?.find(c => c.id === commit)?.author?.name ??
        p.user_username ??
        p.user_name,
      sender: p.user_username ?? p.user_name,
    };
    return pushFacts(facts, {
      commit,
      commitField: 'checkout_sha',
      before: p.before,
      deleted: isNullCommit(p.after) || p.checkout_sha === null,
    });
  }
  if (event === 'merge_request') {
    const parsed = mergeRequest.safeParse(payload);
    if (!parsed.success) {
      return {
        event,
        outcome: 'rejected',
        reason: describeIssues(parsed.error),
      };
    }
    const p = parsed.data;
    const mr = p.object_attributes;
    const facts = {
      event,
      ...(mr.action ? { action: mr.action } : {}),
      repository: repositoryOf(p.project),
      ref: `refs/merge-requests/${mr.iid}/head`,
      commit: mr.last_commit.id,
      author: p.user?.username,
      sender: p.user?.username,
    };
    const mapped = pullRequestAction(mr.action, mr.oldrev);
    if (typeof mapped === 'string') {
      return { ...facts, outcome: 'ignored', reason: mapped };
    }
    return {
      ...facts,
      outcome: 'trigger',
      trigger: {
        type: 'pull_request',
        action: mapped.action,
        number: mr.iid,
        headBranch: mr.source_branch,
        commit: mr.last_commit.id,
        baseBranch: mr.target_branch,
        ...(mapped.merged !== undefined ? { merged: mapped.merged } : {}),
        ...(mr.title ? { title: mr.title } : {}),
        ...(mr.url ? { url: mr.url } : {}),
      },
    };
  }
  const loose = z.object({ project }).safeParse(payload);
  return {
    event,
    ...(loose.success ? { repository: repositoryOf(loose.data.project) } : {}),
    outcome: 'ignored',
    reason: `GitLab event '${event}' does not trigger pipelines`,
  };
}
