import {
  DeliveryRepository,
  DeliveryTrigger,
} from '@internal/plugin-pipelines-common';
import { z } from 'zod';

/**
 * What a payload says, before the repository is looked up in the catalog:
 * a trigger, an event that starts nothing, or a payload that lacks what its
 * event must carry.
 */
export interface DeliveryFacts {
  event: string;
  action?: string;
  outcome: 'trigger' | 'ignored' | 'rejected';
  /** Why it was ignored or rejected. */
  reason?: string;
  repository?: DeliveryRepository;
  ref?: string;
  commit?: string;
  author?: string;
  sender?: string;
  trigger?: DeliveryTrigger;
}

/** A full commit id: SHA-1, or SHA-256 for repositories that use it. */
export const commitId = z.string().regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, {
  message: 'not a full commit id',
});

/** A commit id of zeros: the ref was deleted. */
export const isNullCommit = (commit: string) => /^0+$/.test(commit);

/** The issues of a failed parse as one line: `field: what is wrong; ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map(issue => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
    .join('; ');
}

/** A branch or tag name from a full ref, or undefined for other refs. */
export function splitRef(
  ref: string,
): { type: 'branch' | 'tag'; name: string } | undefined {
  if (ref.startsWith('refs/heads/')) {
    return { type: 'branch', name: ref.slice('refs/heads/'.length) };
  }
  if (ref.startsWith('refs/tags/')) {
    return { type: 'tag', name: ref.slice('refs/tags/'.length) };
  }
  return undefined;
}

/**
 * What a push says, the same for every provider once its fields are read: a
 * deleted ref is ignored, a commit that is not a full id is rejected, a ref
 * that is neither a branch nor a tag is ignored, and otherwise it triggers a
 * branch push (with the commit it moved from) or a tag.
 */
export function pushFacts(
  facts: Omit<DeliveryFacts, 'outcome'> & { ref: string },
  push: {
    commit: string;
    /** Where the provider says the commit, for the rejection's reason. */
    commitField: string;
    before?: string;
    deleted: boolean;
  },
): DeliveryFacts {
  const ref = splitRef(facts.ref);
  if (push.deleted) {
    return {
      ...facts,
      commit: undefined,
      outcome: 'ignored',
      reason: `${
        ref ? `${ref.type} '${ref.name}'` : `ref '${facts.ref}'`
      } was deleted`,
    };
  }
  if (!commitId.safeParse(push.commit).success) {
    return {
      ...facts,
      outcome: 'rejected',
      reason: `${push.commitField}: not a full commit id`,
    };
  }
  if (!ref) {
    return {
      ...facts,
      outcome: 'ignored',
      reason: `ref '${facts.ref}' is neither a branch nor a tag`,
    };
  }
  return {
    ...facts,
    outcome: 'trigger',
    trigger:
      ref.type === 'branch'
        ? {
            type: 'push',
            branch: ref.name,
            commit: push.commit,
            ...(push.before && !isNullCommit(push.before)
              ? { before: push.before }
              : {}),
          }
        : { type: 'tag', tag: ref.name, commit: push.commit },
  };
}
