import webhookExamples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BenchRepository } from './repositories';

/** GitHub's own example of a push to a branch (about 7.7 kB of JSON). */
function examplePush(): any {
  const push = webhookExamples
    .find(e => e.name === 'push')
    ?.examples.find((p: any) => p.ref === 'refs/heads/master' && !p.deleted);
  if (!push) throw new Error('@octokit/webhooks-examples has no branch push');
  return push;
}

/** A signed push of a commit to a branch: the body and its X-Hub-Signature-256. */
export interface SignedPush {
  body: string;
  signature: string;
}

/**
 * GitHub's example push, retargeted at a bench repository and commit. The
 * repository's `html_url` is the repository's `file://` URL: the run clones
 * from it as it would from github.com.
 */
export async function signedPush(
  secret: string,
  repository: BenchRepository,
  commit: string,
  branch = 'main',
): Promise<SignedPush> {
  const example = examplePush();
  const body = JSON.stringify({
    ...example,
    ref: `refs/heads/${branch}`,
    after: commit,
    head_commit: { ...example.head_commit, id: commit },
    repository: {
      ...example.repository,
      full_name: repository.slug,
      name: repository.slug.split('/')[1],
      html_url: repository.url,
      default_branch: 'main',
    },
  });
  return { body, signature: await sign(secret, body) };
}

/** How one push was answered, timed from sending to the body read. */
export interface PushAnswer {
  status: number;
  ms: number;
  /** The request failed before an answer (connection refused, reset). */
  error?: string;
}

/** Posts a push to the ingress as GitHub does: a new delivery id each time. */
export async function sendPush(
  baseUrl: string,
  push: SignedPush,
  deliveryId: string = randomUUID(),
): Promise<PushAnswer> {
  const start = performance.now();
  try {
    const res = await fetch(`${baseUrl}/api/events/http/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': deliveryId,
        'x-hub-signature-256': push.signature,
        'user-agent': 'GitHub-Hookshot/bench',
      },
      body: push.body,
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - start };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return {
      status: 0,
      ms: performance.now() - start,
      error: cause?.message ?? (error as Error).message,
    };
  }
}
